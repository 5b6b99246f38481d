package dev.nin.trainer.runs;

import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Generated {@code POST /api/runs} bodies: every field with values of every JSON type, edges,
 * overflowing numbers, hostile text, unknown and duplicate keys, truncated and trailing documents.
 * Shared by the in-process {@link RunSubmissionFuzzTest} and the over-the-wire {@link
 * GeneratedRunRequestsIT}.
 */
final class GeneratedRunBodies {

  static final List<String> FIELDS =
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
          "recipe",
          "warmupSteps",
          "schedule",
          "labelSmoothing",
          "averageDecay",
          "precision",
          "weightDecay",
          "cropPadding");

  static final List<String> VALUES =
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
          "\"cosine\"",
          "\"constant\"",
          "\"bf16\"",
          "\"auto\"",
          "0.1",
          "0.99",
          "300",
          "4691",
          "NaN",
          "\"7\"",
          "\"a\\u0000b\"",
          "\"\\ud800\"",
          "\"" + "x".repeat(300) + "\"",
          "[]",
          "[1]",
          "{}",
          "{\"a\":1}",
          "\"\\uD83D\\uDE00 ok\"");

  private GeneratedRunBodies() {}

  static String body(SplittableRandom random) {
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
