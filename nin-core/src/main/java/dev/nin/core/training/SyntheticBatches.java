package dev.nin.core.training;

import java.util.Random;

/**
 * Random images with random labels: for benchmarks and tests of mechanics, where what is learned
 * does not matter.
 */
public final class SyntheticBatches {

  private SyntheticBatches() {}

  public static Batch batch(int size, long seed) {
    var random = new Random(seed);
    byte[] pixels = new byte[size * Batch.PIXELS_PER_IMAGE];
    byte[] labels = new byte[size];
    random.nextBytes(pixels);
    for (int i = 0; i < size; i++) {
      labels[i] = (byte) random.nextInt(10);
    }
    return new Batch(pixels, labels);
  }
}
