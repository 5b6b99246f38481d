package dev.nin.trainer.sweeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Schedule;
import dev.nin.servicekit.web.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a sweep request becomes: its trials, each a valid run, or a 400 naming what is wrong. */
class SweepPlanTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SweepPlan plan(String body) throws Exception {
    return SweepPlan.from(JSON.readValue(body, SweepSubmission.class), JSON, 100, Precision.FP32);
  }

  @Test
  void aGridWalksEveryCombinationTheLastFieldFastestOverTheBaseRun() throws Exception {
    var plan =
        plan(
            """
            {"name": "lr x schedule", "base": {"resize": 67, "epochs": 3, "trainLimit": 1000},
             "space": {"learningRate": [0.001, 0.002, 0.004], "schedule": ["constant", "step"]}}
            """);

    assertThat(plan.trials()).hasSize(6);
    assertThat(plan.trials())
        .extracting(t -> t.parameters().learningRate() + "/" + t.parameters().schedule().id())
        .containsExactly(
            "0.001/constant",
            "0.001/step",
            "0.002/constant",
            "0.002/step",
            "0.004/constant",
            "0.004/step");
    var first = plan.trials().get(0);
    assertThat(first.number()).isEqualTo(1);
    assertThat(first.parameters().resize()).isEqualTo(67);
    assertThat(first.parameters().epochs()).isEqualTo(3);
    assertThat(first.parameters().name()).isEqualTo("lr x schedule · trial 1");
    assertThat(first.values().toString())
        .isEqualTo("{\"learningRate\":0.001,\"schedule\":\"constant\"}");
    assertThat(plan.parallelism()).isEqualTo(2);
    assertThat(plan.rule()).isEqualTo(StopRule.NONE);
  }

  @Test
  void aGridWithFewerTrialsTakesItsFirstPoints() throws Exception {
    var plan = plan("{\"space\": {\"dropout\": [0.1, 0.2, 0.3, 0.4]}, \"trials\": 2}");
    assertThat(plan.trials()).extracting(t -> t.parameters().dropout()).containsExactly(0.1, 0.2);
  }

  @Test
  void aRandomSearchIsTheSameForTheSameSeedAndStaysInItsRanges() throws Exception {
    String body =
        """
        {"search": "random", "seed": %d, "trials": 20,
         "space": {"learningRate": {"min": 0.0001, "max": 0.01, "scale": "log"},
                   "batchSize": {"min": 32, "max": 256, "integer": true},
                   "schedule": ["constant", "cosine", "step"]}}
        """;
    var once = plan(body.formatted(7));
    var again = plan(body.formatted(7));
    var other = plan(body.formatted(8));

    assertThat(again.trials())
        .extracting(SweepPlan.Trial::values)
        .isEqualTo(once.trials().stream().map(SweepPlan.Trial::values).toList());
    assertThat(other.trials())
        .extracting(SweepPlan.Trial::values)
        .isNotEqualTo(once.trials().stream().map(SweepPlan.Trial::values).toList());
    assertThat(once.trials())
        .allSatisfy(
            t -> {
              assertThat(t.parameters().learningRate()).isBetween(0.0001, 0.01);
              assertThat(t.parameters().batchSize()).isBetween(32, 256);
            });
    assertThat(once.trials()).extracting(t -> t.parameters().schedule()).contains(Schedule.COSINE);
  }

  @Test
  void rungsAndRuleAreRead() throws Exception {
    var plan =
        plan(
            """
            {"space": {"oneByOneConvs": [1, 2]}, "parallelism": 3,
             "earlyStopping": {"rule": "asha", "rungs": [1, 3], "eta": 2}}
            """);
    assertThat(plan.rule()).isEqualTo(StopRule.ASHA);
    assertThat(plan.rungs()).isEqualTo(List.of(1, 3));
    assertThat(plan.eta()).isEqualTo(2);
    assertThat(plan.parallelism()).isEqualTo(3);
  }

  @Test
  void badRequestsAreRefusedNamingTheField() {
    assertRefused("{\"space\": {}}", "space");
    assertRefused("{\"space\": {\"learningrate\": [0.1]}}", "space.learningrate");
    assertRefused("{\"space\": {\"name\": [\"a\"]}}", "space.name");
    assertRefused("{\"space\": {\"dropout\": []}}", "space.dropout");
    assertRefused("{\"space\": {\"dropout\": {\"min\": 0.1, \"max\": 0.5}}}", "space.dropout");
    assertRefused(
        "{\"search\": \"random\", \"space\": {\"dropout\": {\"min\": 0.1}}, \"trials\": 2}",
        "space.dropout");
    assertRefused("{\"search\": \"random\", \"space\": {\"dropout\": [0.1]}}", "trials");
    assertRefused("{\"search\": \"bayes\", \"space\": {\"dropout\": [0.1]}}", "search");
    assertRefused("{\"space\": {\"dropout\": [0.1]}, \"parallelism\": 0}", "parallelism");
    // each trial is a run POST /api/runs would take: this one's dropout is out of range
    assertRefused("{\"space\": {\"dropout\": [0.1, 1.5]}}", "dropout");
    assertRefused("{\"base\": {\"epoch\": 3}, \"space\": {\"dropout\": [0.1]}}", "base.epoch");
    assertRefused(
        "{\"space\": {\"dropout\": [0.1]}, \"earlyStopping\": {\"rule\": \"asha\"}}",
        "earlyStopping.rungs");
    assertRefused(
        "{\"space\": {\"dropout\": [0.1]}, \"earlyStopping\": {\"rule\": \"asha\","
            + " \"rungs\": [2, 1]}}",
        "earlyStopping.rungs");
    assertRefused(
        "{\"space\": {\"dropout\": [0.1]}, \"earlyStopping\": {\"rule\": \"asha\","
            + " \"rungs\": [1], \"eta\": 1}}",
        "earlyStopping.eta");
    // 65 x 65 points: more than a sweep's 200 trials unless it asks for fewer
    var many = new StringBuilder("[0");
    for (int i = 1; i < 64; i++) {
      many.append(",0.").append(i);
    }
    many.append("]");
    assertRefused(
        "{\"space\": {\"dropout\": " + many + ", \"labelSmoothing\": " + many + "}}", "space");
  }

  private static void assertRefused(String body, String field) {
    assertThatThrownBy(() -> plan(body))
        .as(body)
        .isInstanceOf(InvalidFieldException.class)
        .extracting(e -> ((InvalidFieldException) e).field())
        .isEqualTo(field);
  }
}
