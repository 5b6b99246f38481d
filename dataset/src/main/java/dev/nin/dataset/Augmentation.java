package dev.nin.dataset;

import dev.nin.contracts.FashionMnist;
import java.util.SplittableRandom;

/**
 * Random horizontal flips and random crops of training images, decided by (seed, epoch, batch
 * index), so that a republished or replayed batch is the same batch.
 */
public final class Augmentation {

  /** The widest crop padding a run may ask for: a shift of 8 of 28 pixels already cuts a lot. */
  public static final int LARGEST_CROP_PADDING = 8;

  private static final int SIDE = FashionMnist.WIDTH;

  private Augmentation() {}

  /**
   * What a run asks for, on one training batch in place: the flips when {@code flip}, then the
   * crops when {@code cropPadding} is above 0. Ingest ({@link RunStream}) and the in-memory batches
   * both call this, so they train on the same images.
   */
  public static void apply(
      byte[] pixels, boolean flip, int cropPadding, long seed, int epoch, int batchIndex) {
    if (flip) {
      flipHorizontally(pixels, seed, epoch, batchIndex);
    }
    cropWithPadding(pixels, cropPadding, seed, epoch, batchIndex);
  }

  /** Flips each 28×28 image of {@code pixels} left-right with probability 1/2, in place. */
  public static void flipHorizontally(byte[] pixels, long seed, int epoch, int batchIndex) {
    var random = new SplittableRandom(mix(seed, epoch, batchIndex));
    int images = pixels.length / LabeledImages.PIXELS;
    for (int i = 0; i < images; i++) {
      if (random.nextBoolean()) {
        int base = i * LabeledImages.PIXELS;
        for (int row = 0; row < SIDE; row++) {
          int left = base + row * SIDE;
          for (int a = left, b = left + SIDE - 1; a < b; a++, b--) {
            byte t = pixels[a];
            pixels[a] = pixels[b];
            pixels[b] = t;
          }
        }
      }
    }
  }

  /**
   * The random crop with padding of the CIFAR recipes, on each 28×28 image of {@code pixels} in
   * place: pad by {@code padding} zero (background) pixels on every side, cut a 28×28 window at an
   * offset drawn uniformly from [0, 2·padding] in each direction. The same as shifting the image by
   * up to {@code padding} pixels each way, filling with background.
   */
  public static void cropWithPadding(
      byte[] pixels, int padding, long seed, int epoch, int batchIndex) {
    if (padding < 0 || padding > LARGEST_CROP_PADDING) {
      throw new IllegalArgumentException(
          "crop padding must be in [0, " + LARGEST_CROP_PADDING + "], was " + padding);
    }
    if (padding == 0) {
      return;
    }
    // a stream of its own, so that turning crops on does not change which images are flipped
    var random = new SplittableRandom(mix(seed, epoch, batchIndex) ^ 0x9E3779B97F4A7C15L);
    int images = pixels.length / LabeledImages.PIXELS;
    byte[] image = new byte[LabeledImages.PIXELS];
    for (int i = 0; i < images; i++) {
      int dy = random.nextInt(2 * padding + 1) - padding;
      int dx = random.nextInt(2 * padding + 1) - padding;
      int base = i * LabeledImages.PIXELS;
      System.arraycopy(pixels, base, image, 0, LabeledImages.PIXELS);
      for (int row = 0; row < SIDE; row++) {
        int from = row + dy;
        for (int col = 0; col < SIDE; col++) {
          int fromCol = col + dx;
          boolean inside = from >= 0 && from < SIDE && fromCol >= 0 && fromCol < SIDE;
          pixels[base + row * SIDE + col] = inside ? image[from * SIDE + fromCol] : 0;
        }
      }
    }
  }

  private static long mix(long seed, int epoch, int batchIndex) {
    return (seed * 1_000_003L + epoch) * 1_000_033L + batchIndex;
  }
}
