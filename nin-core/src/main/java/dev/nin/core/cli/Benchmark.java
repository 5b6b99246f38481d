package dev.nin.core.cli;

import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.SavedModelPredictor;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import dev.nin.core.training.Batch;
import dev.nin.core.training.BatchSource;
import dev.nin.core.training.EpochProgress;
import dev.nin.core.training.FedBatch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.StepResult;
import dev.nin.core.training.SyntheticBatches;
import dev.nin.core.training.TrainingConfig;
import dev.nin.core.training.TrainingListener;
import dev.nin.core.training.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * {@code nin.sh bench}: the machine's matrix-multiply ceiling, then NiN's training and inference
 * throughput at each size, as {@code key=value} lines measured in this one run. Efficiency is
 * achieved FLOP/s over the ceiling, counting a training step as 3× the forward FLOPs.
 */
final class Benchmark {

  private static final int TRAIN_BATCH = Chapter.BATCH_SIZE;

  private Benchmark() {}

  static void run(Args args) throws Exception {
    TensorFlowRuntime.ensureLoaded();
    boolean quick = args.has("quick");
    int[] sizes =
        Arrays.stream(args.get("sizes", "96,224").split(",")).mapToInt(Integer::parseInt).toArray();
    double gemm = gemmGflops(quick ? 2 : 5);
    print("gemm_gflops", gemm);
    for (int size : sizes) {
      trainAndServe(size, gemm, quick);
    }
  }

  record Timed(int steps, double seconds) {}

  /**
   * Trains on one batch again and again through the training loop until at least {@code minSteps}
   * steps and {@code minSeconds} have passed.
   */
  static Timed trainRepeatedly(NinTrainer trainer, Batch batch, double minSeconds, int minSteps)
      throws Exception {
    var counted =
        new TrainingListener() {
          int steps;

          @Override
          public void onStep(FedBatch fed, StepResult step, EpochProgress progress) {
            steps++;
          }
        };
    // one epoch that never ends: the loop stops on time, not on an epoch's end
    BatchSource same =
        () ->
            new FedBatch(batch, 0, counted.steps, Integer.MAX_VALUE, counted.steps, Long.MAX_VALUE);
    long start = System.nanoTime();
    new TrainingLoop(trainer, 1, Collections::emptyIterator, counted)
        .run(
            same,
            () -> counted.steps >= minSteps && (System.nanoTime() - start) / 1e9 >= minSeconds);
    return new Timed(counted.steps, (System.nanoTime() - start) / 1e9);
  }

  /** TF MatMul of two 4096×4096 float32 matrices: 2·4096³ FLOP, best of {@code runs}. */
  static double gemmGflops(int runs) {
    int n = 4096;
    try (var graph = new Graph();
        var session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var shape = tf.constant(new long[] {n, n});
      var a = tf.variable(tf.random.statelessRandomUniform(shape, tf.constant(new long[] {1, 2})));
      var b = tf.variable(tf.random.statelessRandomUniform(shape, tf.constant(new long[] {3, 4})));
      // Fetch a scalar: copying the 64 MB product out would be timed too.
      var sum = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
      session.initialize();
      double best = Double.MAX_VALUE;
      for (int i = 0; i < runs + 1; i++) {
        long start = System.nanoTime();
        try (var result = session.runner().fetch(sum).run()) {
          double seconds = (System.nanoTime() - start) / 1e9;
          if (i > 0) { // the first run includes graph set-up
            best = Math.min(best, seconds);
          }
        }
      }
      return 2.0 * n * n * n / best / 1e9;
    }
  }

  private static void trainAndServe(int size, double gemmGflops, boolean quick) throws Exception {
    var config = NinConfig.chapter().withResize(size);
    var summary = ModelSummary.of(config);
    Batch batch = SyntheticBatches.batch(TRAIN_BATCH, size);
    long rssBefore = residentBytes();
    Path export = Files.createTempDirectory("nin-bench-");
    try (var trainer = NinTrainer.create(config, TrainingConfig.chapter())) {
      trainRepeatedly(trainer, batch, 0, 2); // warm-up: graph optimisation, allocator growth
      double minSeconds = quick ? 3 : (size >= 160 ? 20 : 10);
      var timed = trainRepeatedly(trainer, batch, minSeconds, 3);
      int steps = timed.steps();
      double seconds = timed.seconds();
      double imagesPerSecond = steps * TRAIN_BATCH / seconds;
      print("train_images_per_s_" + size, imagesPerSecond);
      print(
          "train_efficiency_" + size,
          imagesPerSecond * summary.trainingFlopsPerImage() / (gemmGflops * 1e9));
      print("train_memory_mb_" + size + "_b128_estimated", summary.trainingMegabytes(TRAIN_BATCH));
      print(
          "train_memory_mb_" + size + "_b128_measured", (residentBytes() - rssBefore) / 1048576.0);
      SavedModelExport.write(config, trainer.parameters(), export.resolve("model"));
    }
    long rssBeforeServing = residentBytes();
    try (var predictor = SavedModelPredictor.load(export.resolve("model"), 10)) {
      Batch one = SyntheticBatches.batch(1, 1);
      double[] latencies = new double[quick ? 10 : 30];
      for (int i = 0; i < 5; i++) {
        predictor.predict(one.pixels(), 1);
      }
      for (int i = 0; i < latencies.length; i++) {
        long start = System.nanoTime();
        predictor.predict(one.pixels(), 1);
        latencies[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(latencies);
      print("infer_ms_" + size + "_b1", latencies[latencies.length / 2]);
      print("predict_memory_mb_" + size + "_b1_estimated", summary.predictionMegabytes());
      print(
          "predict_memory_mb_" + size + "_b1_measured",
          (residentBytes() - rssBeforeServing) / 1048576.0);

      Batch many = SyntheticBatches.batch(64, 2);
      predictor.predict(many.pixels(), 64);
      int calls = 0;
      long start = System.nanoTime();
      double seconds;
      do {
        predictor.predict(many.pixels(), 64);
        calls++;
        seconds = (System.nanoTime() - start) / 1e9;
      } while (seconds < (quick ? 2 : 5));
      double imagesPerSecond = calls * 64 / seconds;
      print("infer_images_per_s_" + size + "_b64", imagesPerSecond);
      print(
          "infer_efficiency_" + size + "_b64",
          imagesPerSecond * summary.flopsPerImage() / (gemmGflops * 1e9));
    } finally {
      deleteRecursively(export);
    }
  }

  /** This process's resident set (Linux), which counts TensorFlow's native allocations too. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: report 0 rather than fail the benchmark
    }
    return 0;
  }

  private static void print(String key, double value) {
    System.out.println(
        key + "=" + String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
