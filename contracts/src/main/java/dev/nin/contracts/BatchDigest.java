package dev.nin.contracts;

/**
 * An order-independent fingerprint of a set of batches, so that what a consumer applied can be
 * compared with what a run's topic holds without listing either: the sum (mod 2^64) of a 64-bit mix
 * of each batch's (epoch, index). A batch lost and another applied twice change the sum, where
 * image counts alone would cancel out.
 */
public final class BatchDigest {

  private BatchDigest() {}

  /** The digest after adding one batch to {@code digest}. */
  public static long add(long digest, int epoch, int index) {
    return digest + mix(((long) epoch << 32) | (index & 0xffffffffL));
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
