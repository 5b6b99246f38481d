package dev.nin.core.training;

/**
 * Raw images and labels, exactly as they travel on Kafka: {@code count} images of 28×28 uint8
 * pixels, row-major, and one uint8 label each.
 */
public record Batch(byte[] pixels, byte[] labels) {

  public static final int PIXELS_PER_IMAGE = dev.nin.contracts.FashionMnist.PIXELS;

  public Batch {
    if (labels.length == 0) {
      throw new IllegalArgumentException("a batch holds at least one image");
    }
    if (pixels.length != labels.length * PIXELS_PER_IMAGE) {
      throw new IllegalArgumentException(
          "a batch of "
              + labels.length
              + " images needs "
              + labels.length * PIXELS_PER_IMAGE
              + " pixels, got "
              + pixels.length);
    }
  }

  public int size() {
    return labels.length;
  }
}
