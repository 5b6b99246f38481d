package dev.nin.trainer.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.web.InvalidFieldException;
import dev.nin.contracts.web.StrictJson;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * Generated {@code POST /api/runs} bodies, read as the service reads them (the {@link StrictJson}
 * mapper, then {@link RunParameters#from}): every field with values of every JSON type, edges,
 * overflowing numbers, hostile text, unknown and duplicate keys, truncated and trailing documents.
 * Each becomes a run or an exception the problem mappers answer with a 400, never another exception
 * (which would be a 500). Seed and count: {@code -Dnin.fuzz.seed}, {@code -Dnin.fuzz.cases}.
 */
class RunSubmissionFuzzTest {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.cases", 2000);

  private static final List<String> FIELDS =
      List.of(
          "name",
          "learningRate",
          "batchSize",
          "epochs",
          "resize",
          "optimizer",
          "oneByOneConvs",
          "dropout",
          "seed",
          "trainLimit",
          "testLimit",
          "augment",
          "logEvery",
          "checkpointEverySteps",
          "recipe");

  private static final List<String> VALUES =
      List.of(
          "0",
          "1",
          "-1",
          "2",
          "67",
          "66",
          "224",
          "512",
          "513",
          "1000",
          "4096",
          "4097",
          "60000",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "99999999999999999999999",
          "1e400",
          "-1e400",
          "1.5",
          "0.5",
          "1e-320",
          "0.001",
          "1.0",
          "true",
          "false",
          "null",
          "\"\"",
          "\"adam\"",
          "\"SGD\"",
          "\"chapter\"",
          "\"default\"",
          "\"7\"",
          "\"a\\u0000b\"",
          "\"\\ud800\"",
          "\"" + "x".repeat(300) + "\"",
          "[]",
          "[1]",
          "{}",
          "{\"a\":1}",
          "\"\\uD83D\\uDE00 ok\"");

  @Test
  void everyGeneratedBodyIsARunOrA400NeverAnotherException() {
    var mapper = new ObjectMapper();
    new StrictJson().customize(mapper);
    var random = new SplittableRandom(SEED);
    int runs = 0;
    int malformedOrMistyped = 0;
    int outOfRange = 0;
    for (int i = 0; i < CASES; i++) {
      String body = body(random);
      try {
        var parameters = RunParameters.from(mapper.readValue(body, RunSubmission.class), 1000);
        assertThat(parameters.resize()).isBetween(67, 512);
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

  private static String body(SplittableRandom random) {
    var fields = new StringJoiner(", ", "{", "}");
    int count = random.nextInt(0, 6);
    for (int k = 0; k < count; k++) {
      String field =
          random.nextInt(20) == 0 ? "unknown" + k : FIELDS.get(random.nextInt(FIELDS.size()));
      fields.add("\"" + field + "\": " + VALUES.get(random.nextInt(VALUES.size())));
    }
    String body = fields.toString();
    return switch (random.nextInt(12)) {
      case 0 -> body.substring(0, random.nextInt(body.length())); // cut short
      case 1 -> body + " {}"; // trailing data
      case 2 -> "[" + body + "]";
      case 3 -> "null";
      default -> body;
    };
  }
}
