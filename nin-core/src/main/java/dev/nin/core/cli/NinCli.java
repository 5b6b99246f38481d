package dev.nin.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.dataset.FashionMnistFiles;
import dev.nin.contracts.dataset.FashionMnistFiles.Split;
import dev.nin.core.data.MemoryBatches;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.core.model.WeightInit;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.Evaluation;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.Optimizer;
import dev.nin.core.training.TrainingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code scripts/nin.sh summary | train | bench}: nin-core without any service. */
public final class NinCli {

  private static final String USAGE =
      """
      usage: nin.sh summary [--resize R] [--one-by-one N] [--batch-size B] [--json]
             nin.sh train [--data DIR] [--resize 224] [--epochs 10] [--batch-size 128]
                          [--lr 0.001] [--optimizer adam|sgd] [--one-by-one 2] [--dropout 0.5]
                          [--init glorot_uniform_live_classifier|glorot_uniform|he_normal]
                          [--seed 42] [--train-limit N] [--test-limit N] [--log-every 50]
                          [--eval-every N] [--device auto|cpu|gpu]
             nin.sh bench [--sizes 96,224] [--quick]
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
        case "bench" -> Benchmark.run(new Args(args, 1, Set.of("sizes"), Set.of("quick")));
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
            .withResize(args.getInt("resize", NinConfig.SEED_RESIZE))
            .withOneByOneConvs(args.getInt("one-by-one", 2));
    var summary = ModelSummary.of(config);
    int batch = args.getInt("batch-size", 128);
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

  private static void train(String[] argv) throws Exception {
    var args =
        new Args(
            argv,
            1,
            Set.of(
                "data",
                "resize",
                "epochs",
                "batch-size",
                "lr",
                "optimizer",
                "one-by-one",
                "dropout",
                "init",
                "seed",
                "train-limit",
                "test-limit",
                "log-every",
                "eval-every",
                "device"),
            Set.of());
    long seed = args.getLong("seed", 42);
    var model =
        new NinConfig(
            args.getInt("resize", NinConfig.SEED_RESIZE),
            args.getInt("one-by-one", 2),
            args.getDouble("dropout", 0.5),
            10,
            WeightInit.valueOf(
                args.get("init", WeightInit.DEFAULT.name()).toUpperCase(Locale.ROOT)),
            seed);
    var training =
        new TrainingConfig(
            Optimizer.parse(args.get("optimizer", "adam")),
            args.getDouble("lr", 0.001),
            DeviceChoice.parse(args.get("device", "auto")));
    int epochs = args.getInt("epochs", 10);
    int batchSize = args.getInt("batch-size", 128);
    int logEvery = args.getInt("log-every", 50);
    // 0: evaluate on the test set only at the end of each epoch
    int evalEvery = args.getInt("eval-every", 0);
    Path data = Path.of(args.get("data", FashionMnistFiles.DEFAULT_DIR.toString()));

    var train =
        new MemoryBatches(
            FashionMnistFiles.read(data, Split.TRAIN),
            args.getInt("train-limit", 0),
            seed,
            batchSize);
    var test =
        new MemoryBatches(
            FashionMnistFiles.read(data, Split.TEST), args.getInt("test-limit", 0), seed, 500);
    System.out.printf(
        Locale.ROOT,
        "train %d images, test %d, resize %d, batch %d, %s lr %s, %d epochs, seed %d%n",
        train.size(),
        test.size(),
        model.resize(),
        batchSize,
        training.optimizer(),
        training.learningRate(),
        epochs,
        seed);

    try (var trainer = NinTrainer.create(model, training)) {
      long totalSteps = (long) epochs * train.batchesPerEpoch();
      long started = System.nanoTime();
      Evaluation last = null;
      for (int epoch = 0; epoch < epochs; epoch++) {
        long epochStart = System.nanoTime();
        var progress = new RunningMetrics();
        var batches = train.epoch(epoch);
        while (batches.hasNext()) {
          var step = trainer.trainStep(batches.next());
          progress.add(step);
          if (step.step() % logEvery == 0) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            double perStep = elapsed / step.step();
            System.out.printf(
                Locale.ROOT,
                "epoch %d/%d step %d/%d loss %.4f top1 %.4f top5 %.4f | %.0f img/s | ETA %s%n",
                epoch + 1,
                epochs,
                step.step(),
                totalSteps,
                step.loss(),
                progress.top1(),
                progress.top5(),
                progress.imagesPerSecond(),
                duration(perStep * (totalSteps - step.step())));
          }
          if (evalEvery > 0 && step.step() % evalEvery == 0 && batches.hasNext()) {
            var mid = trainer.evaluate(test.inOrder());
            System.out.printf(
                Locale.ROOT,
                "step %d test top1 %.4f top5 %.4f | %s%n",
                step.step(),
                mid.top1(),
                mid.top5(),
                ClassRecall.measure(trainer, test.inOrder(), model.classes()).describe());
          }
        }
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        last = trainer.evaluate(test.inOrder());
        System.out.printf(
            Locale.ROOT,
            "epoch %d/%d done in %s: train loss %.4f top1 %.4f top5 %.4f (%.0f img/s) | test loss %.4f"
                + " top1 %.4f top5 %.4f%n",
            epoch + 1,
            epochs,
            duration(trainSeconds),
            progress.loss(),
            progress.top1(),
            progress.top5(),
            train.size() / trainSeconds,
            last.loss(),
            last.top1(),
            last.top5());
        System.out.println(
            ClassRecall.measure(trainer, test.inOrder(), model.classes()).describe());
      }
      System.out.printf(
          Locale.ROOT,
          "final test_top1=%.4f test_top5=%.4f in %s%n",
          last.top1(),
          last.top5(),
          duration((System.nanoTime() - started) / 1e9));
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
