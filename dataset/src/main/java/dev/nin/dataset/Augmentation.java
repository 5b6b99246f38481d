package dev.nin.dataset;

import java.util.SplittableRandom;

/**
 * Random horizontal flips of training images, decided by (seed, epoch, batch index), so that a
 * republished or replayed batch is the same batch.
 */
public final class Augmentation {

  private Augmentation() {}

  /** Flips each 28×28 image of {@code pixels} left-right with probability 1/2, in place. */
  public static void flipHorizontally(byte[] pixels, long seed, int epoch, int batchIndex) {
    var random = new SplittableRandom((seed * 1_000_003L + epoch) * 1_000_033L + batchIndex);
    int images = pixels.length / LabeledImages.PIXELS;
    for (int i = 0; i < images; i++) {
      if (random.nextBoolean()) {
        int base = i * LabeledImages.PIXELS;
        for (int row = 0; row < 28; row++) {
          int left = base + row * 28;
          for (int a = left, b = left + 27; a < b; a++, b--) {
            byte t = pixels[a];
            pixels[a] = pixels[b];
            pixels[b] = t;
          }
        }
      }
    }
  }
}
