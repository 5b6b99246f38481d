package dev.nin.trainer.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.core.training.DeviceChoice;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.StrictJson;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Generated {@code POST /api/runs} bodies ({@link GeneratedRunBodies}), read as the service reads
 * them (the {@link StrictJson} mapper, then {@link RunParameters#from}). Each becomes a run or an
 * exception the problem mappers answer with a 400, never another exception (which would be a 500).
 * Seed and count: {@code -Dnin.fuzz.seed}, {@code -Dnin.fuzz.cases}.
 */
class RunSubmissionFuzzTest {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.cases", 2000);

  @Test
  void everyGeneratedBodyIsARunOrA400NeverAnotherException() {
    var mapper = new ObjectMapper();
    new StrictJson().customize(mapper);
    var random = new SplittableRandom(SEED);
    int runs = 0;
    int malformedOrMistyped = 0;
    int outOfRange = 0;
    for (int i = 0; i < CASES; i++) {
      String body = GeneratedRunBodies.body(random);
      try {
        var parameters = RunParameters.from(mapper.readValue(body, RunSubmission.class), 1000);
        assertThat(parameters.resize()).isBetween(67, 512);
        // an accepted run must also be one nin-core accepts, or it would fail when claimed
        parameters.model();
        parameters.training(DeviceChoice.CPU);
        runs++;
      } catch (JsonProcessingException e) {
        malformedOrMistyped++;
      } catch (InvalidFieldException e) {
        assertThat(e.field()).as("a 400 names its field: %s", body).isNotBlank();
        outOfRange++;
      }
    }
    System.out.printf(
        "generated run bodies: %d cases (seed %d): %d runs, %d malformed or mistyped (400), %d out"
            + " of range (400), 0 other exceptions%n",
        CASES, SEED, runs, malformedOrMistyped, outOfRange);
    assertThat(runs + malformedOrMistyped + outOfRange).isEqualTo(CASES);
    assertThat(runs).as("the generator also makes valid runs").isPositive();
  }
}
