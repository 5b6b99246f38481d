package dev.nin.core.cli;

import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.SavedModelPredictor;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import dev.nin.core.training.Batch;
import dev.nin.core.training.BatchSource;
import dev.nin.core.training.Device;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.EpochProgress;
import dev.nin.core.training.FedBatch;
import dev.nin.core.training.HardwareFeatures;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.Precision;
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
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * {@code nin.sh bench}: the machine's ceilings, then NiN's training and inference throughput at
 * each size, as {@code key=value} lines measured in this one run. A ceiling is the better of a
 * 4096² MatMul and NiN's heaviest convolution alone, in float32 and in bfloat16; efficiency is
 * achieved FLOP/s over the ceiling of the precision trained in, counting a training step as 3× the
 * forward FLOPs. Training runs in fp32 and then in bf16 (the {@code train_speedup_bf16_*} lines)
 * where this CPU or GPU has bfloat16.
 */
final class Benchmark {

  private static final int TRAIN_BATCH = Chapter.BATCH_SIZE;

  private Benchmark() {}

  static void run(Args args) throws Exception {
    TensorFlowRuntime.ensureLoaded();
    boolean quick = args.has("quick");
    int[] sizes =
        Arrays.stream(args.get("sizes", "96,224").split(",")).mapToInt(Integer::parseInt).toArray();
    int runs = quick ? 2 : 5;
    double gemm = gemmGflops(runs, TFloat32.class);
    double conv = convGflops(runs, TFloat32.class);
    print("gemm_gflops", gemm);
    print("conv_gflops", conv);
    double ceiling = Math.max(gemm, conv);
    print("ceiling_gflops", ceiling);
    boolean bf16 =
        !args.has("fp32-only")
            && HardwareFeatures.of(Device.select(DeviceChoice.AUTO)).hasBfloat16();
    double ceilingBf16 = 0;
    if (bf16) {
      double gemmBf16 = gemmGflops(runs, TBfloat16.class);
      double convBf16 = convGflops(runs, TBfloat16.class);
      print("gemm_gflops_bf16", gemmBf16);
      print("conv_gflops_bf16", convBf16);
      ceilingBf16 = Math.max(gemmBf16, convBf16);
      print("ceiling_gflops_bf16", ceilingBf16);
    }
    for (int size : sizes) {
      trainAndServe(size, ceiling, bf16 ? ceilingBf16 : 0, quick);
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

  /** TF MatMul of two 4096×4096 matrices of {@code type}: 2·4096³ FLOP, best of {@code runs}. */
  static <T extends TNumber> double gemmGflops(int runs, Class<T> type) {
    int n = 4096;
    return bestGflops(
        runs,
        2.0 * n * n * n,
        tf -> tf.linalg.matMul(random(tf, type, 1, n, n), random(tf, type, 3, n, n)));
  }

  /**
   * NiN's heaviest convolution alone: block 2's 5×5, 96 → 256 channels on 26×26 (its shape at 224
   * px), batch 32, in {@code type}; best of {@code runs}.
   */
  static <T extends TNumber> double convGflops(int runs, Class<T> type) {
    int batch = 32, side = 26, in = 96, out = 256, k = 5;
    return bestGflops(
        runs,
        2.0 * batch * side * side * out * k * k * in,
        tf ->
            tf.nn.conv2d(
                random(tf, type, 1, batch, side, side, in),
                random(tf, type, 3, k, k, in, out),
                List.of(1L, 1L, 1L, 1L),
                "SAME"));
  }

  private static <T extends TNumber> Operand<T> random(
      Ops tf, Class<T> type, long seed, long... shape) {
    var uniform =
        tf.random.statelessRandomUniform(tf.constant(shape), tf.constant(new long[] {seed, seed}));
    return tf.variable(tf.dtypes.cast(uniform, type));
  }

  private static <T extends TNumber> double bestGflops(
      int runs, double flop, Function<Ops, Operand<T>> op) {
    try (var graph = new Graph();
        var session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var product = op.apply(tf);
      // Fetch a scalar: copying the product out would be timed too.
      var sum =
          tf.reduceSum(
              tf.dtypes.cast(product, TFloat32.class),
              tf.range(tf.constant(0), tf.rank(product), tf.constant(1)));
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
      return flop / best / 1e9;
    }
  }

  /**
   * Trains at {@code size} in {@code precision} and prints its {@code train_*} lines (keys with
   * {@code _bf16} for bfloat16); exports the trained weights to {@code export} when it is given.
   * Returns the images per second.
   */
  private static double train(
      int size, Precision precision, double ceilingGflops, boolean quick, Path export)
      throws Exception {
    var config = NinConfig.chapter().withResize(size);
    var summary = ModelSummary.of(config);
    Batch batch = SyntheticBatches.batch(TRAIN_BATCH, size);
    String suffix = (precision == Precision.FP32 ? "" : "_" + precision.id()) + "_" + size;
    long rssBefore = residentBytes();
    try (var trainer =
        NinTrainer.create(config, TrainingConfig.chapter().withPrecision(precision))) {
      trainRepeatedly(trainer, batch, 0, 2); // warm-up: graph optimisation, allocator growth
      double minSeconds = quick ? 3 : (size >= 160 ? 20 : 10);
      var timed = trainRepeatedly(trainer, batch, minSeconds, 3);
      double imagesPerSecond = timed.steps() * TRAIN_BATCH / timed.seconds();
      print("train_images_per_s" + suffix, imagesPerSecond);
      print(
          "train_efficiency" + suffix,
          imagesPerSecond * summary.trainingFlopsPerImage() / (ceilingGflops * 1e9));
      print("train_memory_mb" + suffix + "_b128_estimated", summary.trainingMegabytes(TRAIN_BATCH));
      print(
          "train_memory_mb" + suffix + "_b128_measured", (residentBytes() - rssBefore) / 1048576.0);
      if (export != null) {
        SavedModelExport.write(config, trainer.parameters(), export);
      }
      return imagesPerSecond;
    }
  }

  /**
   * Trains in fp32 and serves the export through DJL (the serving path); then, when {@code
   * ceilingBf16} is set, trains in bf16 and serves the same export's bf16 signature, and prints the
   * speed-ups.
   */
  private static void trainAndServe(
      int size, double ceilingGflops, double ceilingBf16, boolean quick) throws Exception {
    Path export = Files.createTempDirectory("nin-bench-");
    Path model = export.resolve("model");
    try {
      double trainFp32 = train(size, Precision.FP32, ceilingGflops, quick, model);
      var fp32 = serve(model, size, Precision.FP32, ceilingGflops, quick);
      if (ceilingBf16 > 0) {
        double trainBf16 = train(size, Precision.BF16, ceilingBf16, quick, null);
        print("train_speedup_bf16_" + size, trainBf16 / trainFp32);
        var bf16 = serve(model, size, Precision.BF16, ceilingBf16, quick);
        print(
            "infer_speedup_bf16_" + size + "_b64", bf16.imagesPerSecond() / fp32.imagesPerSecond());
        print("infer_b1_bf16_over_fp32_" + size, bf16.millisB1() / fp32.millisB1());
      }
    } finally {
      deleteRecursively(export);
    }
  }

  record Served(double millisB1, double imagesPerSecond) {}

  /** One image at a time (median latency), then batches of 64 (images per second). */
  private static Served serve(
      Path model, int size, Precision precision, double ceilingGflops, boolean quick)
      throws Exception {
    var summary = ModelSummary.of(NinConfig.chapter().withResize(size));
    String tag = precision == Precision.FP32 ? "" : "_" + precision.id();
    long rssBeforeServing = residentBytes();
    try (var predictor = SavedModelPredictor.load(model, 10, precision.bfloat16())) {
      if (predictor.bfloat16() != precision.bfloat16()) {
        throw new IllegalStateException("the export has no " + precision.id() + " signature");
      }
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
      double millis = latencies[latencies.length / 2];
      print("infer_ms" + tag + "_" + size + "_b1", millis);
      print(
          "predict_memory_mb" + tag + "_" + size + "_b1_estimated", summary.predictionMegabytes());
      print(
          "predict_memory_mb" + tag + "_" + size + "_b1_measured",
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
      print("infer_images_per_s" + tag + "_" + size + "_b64", imagesPerSecond);
      print(
          "infer_efficiency" + tag + "_" + size + "_b64",
          imagesPerSecond * summary.flopsPerImage() / (ceilingGflops * 1e9));
      return new Served(millis, imagesPerSecond);
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
