package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.servicekit.web.InvalidFieldException;

/** Checks what clients send as pixels and turns it into the model's raw uint8 input. */
final class PixelInput {

  private PixelInput() {}

  /** One image: exactly 784 integers from 0 to 255, row-major. */
  static void copyImage(double[] values, String field, byte[] target, int image) {
    if (values == null) {
      throw new InvalidFieldException(field, field + " must be an array of 784 pixel values");
    }
    if (values.length != FashionMnist.PIXELS) {
      throw new InvalidFieldException(
          field,
          field
              + " must hold "
              + FashionMnist.PIXELS
              + " values (a 28x28 image, row-major), got "
              + values.length);
    }
    int offset = image * FashionMnist.PIXELS;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
        throw new InvalidFieldException(
            field + "[" + i + "]", "pixel values are integers from 0 to 255, got " + v);
      }
      target[offset + i] = (byte) (int) v;
    }
  }

  static void checkTopK(int topK, String field) {
    if (topK < 1 || topK > FashionMnist.CLASS_COUNT) {
      throw new InvalidFieldException(
          field, field + " must be between 1 and " + FashionMnist.CLASS_COUNT + ", got " + topK);
    }
  }
}
