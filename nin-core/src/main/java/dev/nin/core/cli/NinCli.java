package dev.nin.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code scripts/nin.sh summary | train | seeds | bench | profile}: nin-core without any service.
 */
public final class NinCli {

  private static final String USAGE =
      """
      usage: nin.sh summary [--resize R] [--one-by-one N] [--batch-size B] [--json]
             nin.sh train [--data DIR] [--resize 224] [--epochs 10] [--batch-size 128]
                          [--lr 0.001] [--optimizer adam|sgd] [--one-by-one 2] [--dropout 0.5]
                          [--recipe default|chapter] (chapter: plain Glorot, no warm-up)
                          [--init glorot_uniform_live_classifier|glorot_uniform|he_normal|he_normal_live_classifier]
                          [--warmup-steps N] [--schedule constant|cosine|step] [--precision fp32|bf16|auto] [--average-decay 0.99]
                          [--label-smoothing 0.1] [--weight-decay 0.05] (decoupled, as AdamW)
                          [--augment] (random flips) [--crop-padding 2] (random crops), as ingest
                          [--seed 42]
                          [--train-limit N] [--test-limit N]
                          [--log-every 50] [--eval-every N] [--device auto|cpu|gpu]
                          [--served]  (then the test set through the exported SavedModel's
                                       fp32 and bf16 signatures, as inference serves them)
             nin.sh seeds --seeds A..B [--resize 67] [--epochs 1] [--init …] [--warmup-steps N]
                          [any other train option]   (one in-memory run per seed, then key=value)
             nin.sh bench [--sizes 96,224] [--rounds 5] [--quick] [--fp32-only]
                         (fp32 and bf16 alternate in rounds; ratios within a round)
             nin.sh profile [--resize 224] [--precision fp32|bf16] [--steps 5] [--batch-size 128]
                            [--top 25]   (a training step's time by kernel type, layer and pass)
      """;

  private NinCli() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.print(USAGE);
      return;
    }
    try {
      switch (args[0]) {
        case "summary" -> summary(args);
        case "train" -> train(args);
        case "seeds" -> SeedSweep.run(args);
        case "profile" -> StepProfile.run(args, System.out);
        case "bench" -> Benchmark.run(args, System.out);
        default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  private static void summary(String[] argv) throws Exception {
    var args = new Args(argv, 1, Set.of("resize", "one-by-one", "batch-size"), Set.of("json"));
    var config =
        NinConfig.chapter()
            .withResize(args.getInt("resize", Chapter.RESIZE))
            .withOneByOneConvs(args.getInt("one-by-one", Chapter.ONE_BY_ONE_CONVS));
    var summary = ModelSummary.of(config);
    int batch = args.getInt("batch-size", Chapter.BATCH_SIZE);
    if (args.has("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("resize", config.resize());
      json.put("oneByOneConvs", config.oneByOneConvs());
      json.put("layers", summary.layers());
      json.put("totalParams", summary.totalParams());
      json.put("multiplyAddsPerImage", summary.multiplyAddsPerImage());
      json.put("flopsPerImage", summary.flopsPerImage());
      json.put("trainingFlopsPerImage", summary.trainingFlopsPerImage());
      json.put("inputMb", summary.inputMegabytes());
      json.put("forwardBackwardMb", summary.forwardBackwardMegabytes());
      json.put("paramsMb", summary.paramsMegabytes());
      json.put("trainingBatch", batch);
      json.put("trainingMemoryMbEstimated", summary.trainingMegabytes(batch));
      json.put("predictionMemoryMbEstimated", summary.predictionMegabytes());
      System.out.println(
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } else {
      System.out.print(summary.paddleTable());
      System.out.println();
      System.out.print(summary.resourceTable(batch));
    }
  }

  /** The options {@code train} and {@code seeds} share. */
  static final Set<String> TRAIN_OPTIONS =
      Set.of(
          "data",
          "resize",
          "epochs",
          "batch-size",
          "lr",
          "optimizer",
          "one-by-one",
          "dropout",
          "recipe",
          "init",
          "warmup-steps",
          "schedule",
          "precision",
          "average-decay",
          "label-smoothing",
          "weight-decay",
          "crop-padding",
          "seed",
          "train-limit",
          "test-limit",
          "log-every",
          "eval-every",
          "device");

  private static void train(String[] argv) throws Exception {
    var args = new Args(argv, 1, TRAIN_OPTIONS, Set.of("served", "augment"));
    var run =
        InMemoryRun.Options.from(
            args, Chapter.RESIZE, Chapter.EPOCHS, args.getLong("seed", Chapter.SEED));
    var data = InMemoryRun.Data.read(run.data());
    var outcome = InMemoryRun.train(run, data, System.out);
    System.out.printf(
        Locale.ROOT,
        "final test_top1=%.4f test_top5=%.4f in %s%n",
        outcome.test().top1(),
        outcome.test().top5(),
        duration(outcome.seconds()));
    if (args.has("served")) {
      InMemoryRun.printServedAccuracy(outcome, data, run, System.out);
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
