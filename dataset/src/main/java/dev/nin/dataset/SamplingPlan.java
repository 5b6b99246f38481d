package dev.nin.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which images a run sees and in what order, as a pure function of (seed, epoch): ingest publishes
 * exactly this stream, and the in-memory trainer (CLI, benchmarks) iterates the same one, so a
 * pipeline run and an in-memory run with one seed train on identical batches.
 */
public final class SamplingPlan {

  private SamplingPlan() {}

  /**
   * Indices of a class-balanced subset of {@code limit} images (all of them when {@code limit} is 0
   * or at least the split's size), in ascending order. Each class gets {@code limit / classes}
   * images, the first {@code limit % classes} classes one more, drawn at random with the seed.
   */
  public static int[] stratifiedSubset(LabeledImages images, int limit, long seed, int classes) {
    int n = images.count();
    if (limit <= 0 || limit >= n) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      byClass.get(images.label(i)).add(i);
    }
    var random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int[] chosen = new int[limit];
    int k = 0;
    for (int c = 0; c < classes; c++) {
      int want = limit / classes + (c < limit % classes ? 1 : 0);
      List<Integer> pool = byClass.get(c);
      int[] indices = pool.stream().mapToInt(Integer::intValue).toArray();
      shuffle(indices, random);
      for (int j = 0; j < Math.min(want, indices.length); j++) {
        chosen[k++] = indices[j];
      }
    }
    int[] result = java.util.Arrays.copyOf(chosen, k);
    java.util.Arrays.sort(result);
    return result;
  }

  /** The order of an epoch: a permutation of {@code subset} seeded by (run seed, epoch). */
  public static int[] epochOrder(int[] subset, long seed, int epoch) {
    int[] order = subset.clone();
    shuffle(order, new SplittableRandom(seed * 1_000_003L + epoch));
    return order;
  }

  /** Number of batches of {@code batchSize} for {@code images} images (the last may be short). */
  public static int batchCount(int images, int batchSize) {
    return (images + batchSize - 1) / batchSize;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
