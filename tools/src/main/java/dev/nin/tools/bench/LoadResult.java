package dev.nin.tools.bench;

import java.util.Arrays;

/** What one load phase measured: throughput, latency percentiles, failures. */
record LoadResult(
    String transport,
    int concurrency,
    long images,
    long failures,
    double seconds,
    long[] latenciesNanos,
    String firstFailure) {

  double imagesPerSecond() {
    return images / seconds;
  }

  double percentileMillis(double p) {
    if (latenciesNanos.length == 0) {
      return Double.NaN;
    }
    long[] sorted = latenciesNanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
