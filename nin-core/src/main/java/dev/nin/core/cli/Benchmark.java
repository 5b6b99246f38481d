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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * forward FLOPs. Where this CPU or GPU has bfloat16, both precisions are measured (the {@code
 * *_speedup_bf16_*} lines).
 *
 * <p>This machine's speed drifts by a factor of two within minutes (the bfloat16 convolution gave
 * 257 and 367 GFLOP/s five minutes apart), so a ratio of two figures measured one after the other
 * says more about the drift than about the variants. Each size is therefore measured in rounds:
 * every round times the ceilings, then float32 and bfloat16 for a few seconds each, the order
 * alternating from round to round, and every ratio (speed-up, efficiency) is taken within a round.
 * The printed figure is the median over the rounds; {@code _min} and {@code _max} give their range.
 */
final class Benchmark {

  private static final int TRAIN_BATCH = Chapter.BATCH_SIZE;

  private final PrintStream out;
  private final boolean quick;
  private final int rounds;

  private Benchmark(PrintStream out, boolean quick, int rounds) {
    this.out = out;
    this.quick = quick;
    this.rounds = rounds;
  }

  /**
   * {@code bench [--sizes 96,224] [--rounds N] [--quick] [--fp32-only]}, printing to {@code out}.
   */
  static void run(String[] argv, PrintStream out) throws Exception {
    var args = new Args(argv, 1, Set.of("sizes", "rounds"), Set.of("quick", "fp32-only"));
    TensorFlowRuntime.ensureLoaded();
    boolean quick = args.has("quick");
    int[] sizes =
        Arrays.stream(args.get("sizes", "96,224").split(",")).mapToInt(Integer::parseInt).toArray();
    int rounds = args.getInt("rounds", quick ? 3 : 5);
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1");
    }
    new Benchmark(out, quick, rounds).measure(sizes, !args.has("fp32-only"));
  }

  private void measure(int[] sizes, boolean bf16Wanted) throws Exception {
    boolean bf16 =
        bf16Wanted && HardwareFeatures.of(Device.select(DeviceChoice.AUTO)).hasBfloat16();
    try (var ceilings = new Ceilings(bf16)) {
      // the machine's ceilings at the start, for reference; efficiencies use each round's own
      var start = ceilings.measure(quick ? 2 : 5);
      print("gemm_gflops", start.gemm());
      print("conv_gflops", start.conv());
      print("ceiling_gflops", start.fp32());
      if (bf16) {
        print("gemm_gflops_bf16", start.gemmBf16());
        print("conv_gflops_bf16", start.convBf16());
        print("ceiling_gflops_bf16", start.bf16());
      }
      for (int size : sizes) {
        trainAndServe(size, ceilings, bf16);
      }
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

  /** The four ceiling operations, each in a session kept open so a round only runs them. */
  static final class Ceilings implements AutoCloseable {
    private final TimedOp gemm;
    private final TimedOp conv;
    private final TimedOp gemmBf16;
    private final TimedOp convBf16;

    Ceilings(boolean bf16) {
      gemm = gemm(TFloat32.class);
      conv = conv(TFloat32.class);
      gemmBf16 = bf16 ? gemm(TBfloat16.class) : null;
      convBf16 = bf16 ? conv(TBfloat16.class) : null;
    }

    /** Each operation's best of {@code runs}; bfloat16's are 0 without bfloat16. */
    Measured measure(int runs) {
      return new Measured(
          gemm.gflops(runs),
          conv.gflops(runs),
          gemmBf16 == null ? 0 : gemmBf16.gflops(runs),
          convBf16 == null ? 0 : convBf16.gflops(runs));
    }

    @Override
    public void close() {
      for (var op : Arrays.asList(gemm, conv, gemmBf16, convBf16)) {
        if (op != null) {
          op.close();
        }
      }
    }

    record Measured(double gemm, double conv, double gemmBf16, double convBf16) {
      double fp32() {
        return Math.max(gemm, conv);
      }

      double bf16() {
        return Math.max(gemmBf16, convBf16);
      }

      double of(Precision precision) {
        return precision.bfloat16() ? bf16() : fp32();
      }
    }
  }

  /** TF MatMul of two 4096×4096 matrices of {@code type}: 2·4096³ FLOP. */
  static <T extends TNumber> TimedOp gemm(Class<T> type) {
    int n = 4096;
    return new TimedOp(
        2.0 * n * n * n,
        tf -> tf.linalg.matMul(random(tf, type, 1, n, n), random(tf, type, 3, n, n)));
  }

  /**
   * NiN's heaviest convolution alone: block 2's 5×5, 96 → 256 channels on 26×26 (its shape at 224
   * px), batch 32, in {@code type}.
   */
  static <T extends TNumber> TimedOp conv(Class<T> type) {
    int batch = 32, side = 26, in = 96, out = 256, k = 5;
    return new TimedOp(
        2.0 * batch * side * side * out * k * k * in,
        tf ->
            tf.nn.conv2d(
                random(tf, type, 1, batch, side, side, in),
                random(tf, type, 3, k, k, in, out),
                List.of(1L, 1L, 1L, 1L),
                "SAME"));
  }

  /** The convolution's best of {@code runs}, built and warmed up for this one measurement. */
  static <T extends TNumber> double convGflops(int runs, Class<T> type) {
    try (var op = conv(type)) {
      return op.gflops(runs);
    }
  }

  private static <T extends TNumber> Operand<T> random(
      Ops tf, Class<T> type, long seed, long... shape) {
    var uniform =
        tf.random.statelessRandomUniform(tf.constant(shape), tf.constant(new long[] {seed, seed}));
    return tf.variable(tf.dtypes.cast(uniform, type));
  }

  /** One operation in its own graph and session, timed by its FLOP/s. */
  static final class TimedOp implements AutoCloseable {
    private final double flop;
    private final Graph graph = new Graph();
    private final Session session = new Session(graph);
    private final Operand<TFloat32> sum;

    <T extends TNumber> TimedOp(double flop, Function<Ops, Operand<T>> op) {
      this.flop = flop;
      Ops tf = Ops.create(graph);
      var product = op.apply(tf);
      // Fetch a scalar: copying the product out would be timed too.
      sum =
          tf.reduceSum(
              tf.dtypes.cast(product, TFloat32.class),
              tf.range(tf.constant(0), tf.rank(product), tf.constant(1)));
      session.initialize();
      session.runner().fetch(sum).run().close(); // the first run includes graph set-up
    }

    /** GFLOP/s of the best of {@code runs}. */
    double gflops(int runs) {
      double best = Double.MAX_VALUE;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        try (var result = session.runner().fetch(sum).run()) {
          best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
      }
      return flop / best / 1e9;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /** The precisions measured: float32, and bfloat16 where the hardware has it. */
  private static List<Precision> precisions(boolean bf16) {
    return bf16 ? List.of(Precision.FP32, Precision.BF16) : List.of(Precision.FP32);
  }

  /** Round {@code round}'s order: as given in even rounds, reversed in odd ones (ABBA…). */
  static <T> List<T> inRound(List<T> variants, int round) {
    if (round % 2 == 0) {
      return variants;
    }
    var reversed = new ArrayList<>(variants);
    Collections.reverse(reversed);
    return reversed;
  }

  /**
   * Trains at {@code size} in each precision, in interleaved rounds, and prints the {@code train_*}
   * lines (keys with {@code _bf16} for bfloat16); then serves the float32 run's export through DJL
   * (the serving path) in each precision, again in rounds, and prints the speed-ups.
   */
  private void trainAndServe(int size, Ceilings ceilings, boolean bf16) throws Exception {
    var config = NinConfig.chapter().withResize(size);
    var summary = ModelSummary.of(config);
    Batch batch = SyntheticBatches.batch(TRAIN_BATCH, size);
    var precisions = precisions(bf16);
    var trainers = new EnumMap<Precision, NinTrainer>(Precision.class);
    Path export = Files.createTempDirectory("nin-bench-");
    Path model = export.resolve("model");
    try {
      for (Precision p : precisions) {
        long rssBefore = residentBytes();
        var trainer = NinTrainer.create(config, TrainingConfig.chapter().withPrecision(p));
        trainers.put(p, trainer);
        trainRepeatedly(trainer, batch, 0, 2); // warm-up: graph optimisation, allocator growth
        print(
            "train_memory_mb" + suffix(p, size) + "_b128_estimated",
            summary.trainingMegabytes(TRAIN_BATCH));
        print(
            "train_memory_mb" + suffix(p, size) + "_b128_measured",
            (residentBytes() - rssBefore) / 1048576.0);
      }
      double seconds = quick ? 2 : (size >= 160 ? 6 : 3);
      var imagesPerSecond = new Series(precisions, rounds);
      var efficiency = new Series(precisions, rounds);
      var ceiling = new Series(precisions, rounds);
      for (int r = 0; r < rounds; r++) {
        var measured = ceilings.measure(2);
        for (Precision p : inRound(precisions, r)) {
          var timed = trainRepeatedly(trainers.get(p), batch, seconds, 2);
          double ips = timed.steps() * TRAIN_BATCH / timed.seconds();
          imagesPerSecond.set(p, r, ips);
          ceiling.set(p, r, measured.of(p));
          efficiency.set(p, r, ips * summary.trainingFlopsPerImage() / (measured.of(p) * 1e9));
        }
      }
      for (Precision p : precisions) {
        print("ceiling_gflops" + suffix(p, size), ceiling.median(p));
        print("train_images_per_s" + suffix(p, size), imagesPerSecond.median(p));
        print("train_efficiency" + suffix(p, size), efficiency.median(p));
      }
      if (bf16) {
        printRatio(
            "train_speedup_bf16_" + size, imagesPerSecond.ratios(Precision.BF16, Precision.FP32));
      }
      SavedModelExport.write(config, trainers.get(Precision.FP32).parameters(), model);
      for (var trainer : trainers.values()) {
        trainer.close();
      }
      trainers.clear();
      serve(model, size, precisions, ceiling);
    } finally {
      for (var trainer : trainers.values()) {
        trainer.close();
      }
      deleteRecursively(export);
    }
  }

  private static String suffix(Precision p, int size) {
    return (p == Precision.FP32 ? "" : "_" + p.id()) + "_" + size;
  }

  /**
   * One image at a time (median latency), then batches of 64 (images per second), each precision's
   * signature of the same export in turn within every round.
   */
  private void serve(Path model, int size, List<Precision> precisions, Series ceiling)
      throws Exception {
    var summary = ModelSummary.of(NinConfig.chapter().withResize(size));
    var predictors = new EnumMap<Precision, SavedModelPredictor>(Precision.class);
    Batch one = SyntheticBatches.batch(1, 1);
    Batch many = SyntheticBatches.batch(64, 2);
    try {
      for (Precision p : precisions) {
        long rssBefore = residentBytes();
        var predictor = SavedModelPredictor.load(model, 10, p.bfloat16());
        predictors.put(p, predictor);
        if (predictor.bfloat16() != p.bfloat16()) {
          throw new IllegalStateException("the export has no " + p.id() + " signature");
        }
        for (int i = 0; i < 5; i++) {
          predictor.predict(one.pixels(), 1);
        }
        predictor.predict(many.pixels(), 64);
        print(
            "predict_memory_mb" + suffix(p, size) + "_b1_estimated", summary.predictionMegabytes());
        print(
            "predict_memory_mb" + suffix(p, size) + "_b1_measured",
            (residentBytes() - rssBefore) / 1048576.0);
      }
      int calls = quick ? 10 : 30;
      var millisB1 = new Series(precisions, rounds);
      var imagesPerSecond = new Series(precisions, rounds);
      for (int r = 0; r < rounds; r++) {
        for (Precision p : inRound(precisions, r)) {
          var predictor = predictors.get(p);
          double[] latencies = new double[calls];
          for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            predictor.predict(one.pixels(), 1);
            latencies[i] = (System.nanoTime() - start) / 1e6;
          }
          millisB1.set(p, r, median(latencies));
          int batches = 0;
          long start = System.nanoTime();
          double seconds;
          do {
            predictor.predict(many.pixels(), 64);
            batches++;
            seconds = (System.nanoTime() - start) / 1e9;
          } while (seconds < (quick ? 1 : 2));
          imagesPerSecond.set(p, r, batches * 64 / seconds);
        }
      }
      for (Precision p : precisions) {
        print("infer_ms" + suffix(p, size) + "_b1", millisB1.median(p));
        print("infer_images_per_s" + suffix(p, size) + "_b64", imagesPerSecond.median(p));
        print(
            "infer_efficiency" + suffix(p, size) + "_b64",
            imagesPerSecond.median(p) * summary.flopsPerImage() / (ceiling.median(p) * 1e9));
      }
      if (precisions.contains(Precision.BF16)) {
        printRatio(
            "infer_speedup_bf16_" + size + "_b64",
            imagesPerSecond.ratios(Precision.BF16, Precision.FP32));
        printRatio(
            "infer_b1_bf16_over_fp32_" + size, millisB1.ratios(Precision.BF16, Precision.FP32));
      }
    } finally {
      for (var predictor : predictors.values()) {
        predictor.close();
      }
    }
  }

  /** One figure per precision and round. */
  static final class Series {
    private final Map<Precision, double[]> values = new EnumMap<>(Precision.class);

    Series(List<Precision> precisions, int rounds) {
      precisions.forEach(p -> values.put(p, new double[rounds]));
    }

    void set(Precision p, int round, double value) {
      values.get(p)[round] = value;
    }

    double median(Precision p) {
      return Benchmark.median(values.get(p));
    }

    /** {@code a ÷ b} within each round. */
    double[] ratios(Precision a, Precision b) {
      double[] x = values.get(a), y = values.get(b), ratios = new double[x.length];
      for (int r = 0; r < x.length; r++) {
        ratios[r] = x[r] / y[r];
      }
      return ratios;
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The median of per-round ratios, and their range as {@code _min} and {@code _max}. */
  private void printRatio(String key, double[] ratios) {
    print(key, median(ratios));
    print(key + "_min", Arrays.stream(ratios).min().orElseThrow());
    print(key + "_max", Arrays.stream(ratios).max().orElseThrow());
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

  private void print(String key, double value) {
    out.println(key + "=" + String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
