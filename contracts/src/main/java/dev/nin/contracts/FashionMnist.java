package dev.nin.contracts;

import java.util.List;

/** What every service knows about the data set: image geometry and the class names. */
public final class FashionMnist {

  public static final int HEIGHT = 28;
  public static final int WIDTH = 28;
  public static final int PIXELS = HEIGHT * WIDTH;
  public static final int CLASS_COUNT = 10;

  /** Label i is CLASS_NAMES.get(i), in the order of the official data set. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private FashionMnist() {}

  public static String className(int label) {
    if (label < 0 || label >= CLASS_COUNT) {
      throw new IllegalArgumentException("label must be in [0, 9], was " + label);
    }
    return CLASS_NAMES.get(label);
  }
}
