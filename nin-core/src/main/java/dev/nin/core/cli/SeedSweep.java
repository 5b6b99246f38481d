package dev.nin.core.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code nin.sh seeds --seeds A..B}: the same configuration trained once per seed, in memory. The
 * seed's ReLU classifier can lose a class for good on an unlucky seed; a default is only as good as
 * its worst seed, so this prints the worst as well as the median.
 */
final class SeedSweep {

  private SeedSweep() {}

  static void run(String[] argv) throws Exception {
    var options = new HashSet<>(NinCli.TRAIN_OPTIONS);
    options.remove("seed");
    options.add("seeds");
    var args = new Args(argv, 1, options, Set.of("verbose", "augment"));
    long[] seeds = parseRange(args.get("seeds", ""));
    var template = InMemoryRun.Options.from(args, 67, 1, seeds[0]);
    var data = InMemoryRun.Data.read(template.data());
    // the per-step lines of twenty runs bury the result: only --verbose shows them
    PrintStream progress =
        args.has("verbose") ? System.out : new PrintStream(OutputStream.nullOutputStream());

    var top1s = new ArrayList<Double>();
    int seedsWithDeadClass = 0;
    double minClassRecall = 1;
    for (long seed = seeds[0]; seed <= seeds[1]; seed++) {
      var outcome = InMemoryRun.train(template.withSeed(seed), data, progress);
      var recall = outcome.test().classes();
      top1s.add(outcome.test().top1());
      if (!recall.neverPredicted().isEmpty()) {
        seedsWithDeadClass++;
      }
      minClassRecall = Math.min(minClassRecall, recall.minRecall());
      System.out.printf(
          Locale.ROOT,
          "seed=%d test_top1=%.4f test_loss=%.4f min_class_recall=%.3f never_predicted=%d"
              + " time=%s | %s%n",
          seed,
          outcome.test().top1(),
          outcome.test().loss(),
          recall.minRecall(),
          recall.neverPredicted().size(),
          NinCli.duration(outcome.seconds()),
          recall.describe());
    }
    double[] sorted = top1s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "seeds=%d..%d%n", seeds[0], seeds[1]);
    System.out.printf(Locale.ROOT, "seeds_min_top1=%.4f%n", sorted[0]);
    System.out.printf(Locale.ROOT, "seeds_median_top1=%.4f%n", median(sorted));
    System.out.printf(Locale.ROOT, "seeds_dead_classes=%d%n", seedsWithDeadClass);
    System.out.printf(Locale.ROOT, "seeds_min_class_recall=%.3f%n", minClassRecall);
  }

  /** {@code A..B} (inclusive) or a single seed. */
  static long[] parseRange(String text) {
    String[] parts = text.split("\\.\\.", -1);
    try {
      long from = Long.parseLong(parts[0].trim());
      long to = parts.length == 2 ? Long.parseLong(parts[1].trim()) : from;
      if (parts.length > 2 || to < from || to - from >= 1000) {
        throw new IllegalArgumentException("--seeds must be A..B with A <= B, at most 1000 seeds");
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds must be A..B (e.g. 1..20), was '" + text + "'");
    }
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
