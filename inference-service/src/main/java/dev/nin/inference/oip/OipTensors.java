package dev.nin.inference.oip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.FashionMnist;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Turns an Open Inference Protocol v2 input tensor into the model's raw uint8 images, checking
 * everything a client sends: the input's name, datatype and shape before any allocation, then the
 * data's element count and every value.
 */
final class OipTensors {

  /** The model's only input: {@code image}, uint8 [-1, 28, 28, 1]. */
  static final String INPUT = "image";

  private OipTensors() {}

  /** The images of a request's {@code inputs}, row-major, 784 bytes each. */
  static Images images(JsonNode inputs, int maxImages) {
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw new OipException(400, "'inputs' must hold exactly one tensor, named '" + INPUT + "'");
    }
    JsonNode input = inputs.get(0);
    String name = input.path("name").asText(null);
    if (!INPUT.equals(name)) {
      throw new OipException(
          400, "unexpected input '" + name + "': model nin takes one input, '" + INPUT + "'");
    }
    String datatype = input.path("datatype").asText("");
    boolean floats = datatype.equals("FP32");
    if (!floats && !datatype.equals("UINT8")) {
      throw new OipException(
          400,
          "input 'image' has datatype '"
              + datatype
              + "': nin takes UINT8 (or FP32 holding whole values 0-255)");
    }
    int count = count(input.path("shape"), maxImages);
    byte[] pixels = new byte[count * FashionMnist.PIXELS];
    int filled = fill(input.path("data"), pixels, floats);
    if (filled != pixels.length) {
      throw new OipException(
          400,
          "input 'image' has shape ["
              + count
              + ", 28, 28, 1] ("
              + pixels.length
              + " values) but its data holds "
              + filled);
    }
    return new Images(pixels, count);
  }

  record Images(byte[] pixels, int count) {}

  /** The image count of a shape [N, 28, 28, 1], 1 ≤ N ≤ maxImages. */
  private static int count(JsonNode shape, int maxImages) {
    if (!shape.isArray() || shape.size() != 4) {
      throw new OipException(400, "input 'image' must have shape [N, 28, 28, 1], got " + shape);
    }
    for (JsonNode d : shape) {
      if (!d.isIntegralNumber() || !d.canConvertToInt()) {
        throw new OipException(400, "input 'image' has a shape that is not integers: " + shape);
      }
    }
    int n = shape.get(0).intValue();
    if (shape.get(1).intValue() != FashionMnist.HEIGHT
        || shape.get(2).intValue() != FashionMnist.WIDTH
        || shape.get(3).intValue() != 1) {
      throw new OipException(400, "input 'image' must have shape [N, 28, 28, 1], got " + shape);
    }
    if (n < 1 || n > maxImages) {
      throw new OipException(
          n > maxImages ? 413 : 400,
          "input 'image' holds " + n + " images; between 1 and " + maxImages + " a request");
    }
    return n;
  }

  /**
   * Copies the data (flat, or nested arrays, row-major) into {@code pixels}; returns how many
   * values it held, stopping one past the expected count so a huge array is not walked to its end.
   */
  private static int fill(JsonNode data, byte[] pixels, boolean floats) {
    if (!data.isArray()) {
      throw new OipException(400, "input 'image' has no 'data' array");
    }
    int n = 0;
    // depth-first, left to right: the row-major order of nested arrays
    var stack = new ArrayDeque<Iterator<JsonNode>>();
    stack.push(data.elements());
    while (!stack.isEmpty()) {
      var it = stack.peek();
      if (!it.hasNext()) {
        stack.pop();
        continue;
      }
      JsonNode v = it.next();
      if (v.isArray()) {
        if (stack.size() >= 4) {
          throw new OipException(400, "input 'image' data is nested deeper than its shape");
        }
        stack.push(v.elements());
        continue;
      }
      if (n == pixels.length) {
        return n + 1;
      }
      pixels[n] = pixel(v, n, floats);
      n++;
    }
    return n;
  }

  private static byte pixel(JsonNode v, int index, boolean floats) {
    if (!v.isNumber() || (!floats && !v.isIntegralNumber())) {
      throw new OipException(
          400,
          "input 'image' value "
              + index
              + " is "
              + v
              + ": "
              + (floats ? "FP32 values are numbers" : "UINT8 values are integers"));
    }
    double d = v.doubleValue();
    if (!(d >= 0 && d <= 255) || d != Math.rint(d)) {
      throw new OipException(
          400, "input 'image' value " + index + " is " + v + ": pixels are whole values 0-255");
    }
    return (byte) (int) d;
  }
}
