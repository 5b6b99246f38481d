package dev.nin.dataset;

/** Images (count × 28 × 28 uint8, row-major) with one label each, in file order. */
public record LabeledImages(byte[] pixels, byte[] labels) {

  public static final int PIXELS = dev.nin.contracts.FashionMnist.PIXELS;

  public LabeledImages {
    if (pixels.length != labels.length * PIXELS) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + pixels.length / (double) PIXELS + " images");
    }
  }

  public int count() {
    return labels.length;
  }

  public int label(int index) {
    return labels[index] & 0xFF;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive) of the given order. */
  public LabeledImages select(int[] order, int from, int to) {
    int n = to - from;
    byte[] p = new byte[n * PIXELS];
    byte[] l = new byte[n];
    for (int i = 0; i < n; i++) {
      int source = order[from + i];
      System.arraycopy(pixels, source * PIXELS, p, i * PIXELS, PIXELS);
      l[i] = labels[source];
    }
    return new LabeledImages(p, l);
  }

  /** How many images each class has. */
  public int[] classCounts(int classes) {
    int[] counts = new int[classes];
    for (byte label : labels) {
      counts[label & 0xFF]++;
    }
    return counts;
  }
}
