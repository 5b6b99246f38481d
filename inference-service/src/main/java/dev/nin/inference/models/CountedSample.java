package dev.nin.inference.models;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Sampling by count, not by chance: the n-th event is taken when ⌊n·rate⌋ steps up, so of any N
 * events ⌊N·rate⌋ are taken, evenly spread (a rate of 0.1 takes exactly every tenth). A test can
 * then say exactly which requests a shadow, a canary or the prediction log sees. The rate is kept
 * in millionths, so the arithmetic is exact.
 */
public final class CountedSample {

  private static final long ONE = 1_000_000;

  private final long perMillion;
  private final AtomicLong seen = new AtomicLong();

  public CountedSample(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a sampling rate is between 0 and 1, not " + rate);
    }
    this.perMillion = Math.round(rate * ONE);
  }

  /** Counts one event; true when it is one of the sample. */
  public boolean next() {
    if (perMillion == 0) {
      return false;
    }
    long n = seen.incrementAndGet();
    return (n * perMillion) / ONE != ((n - 1) * perMillion) / ONE;
  }
}
