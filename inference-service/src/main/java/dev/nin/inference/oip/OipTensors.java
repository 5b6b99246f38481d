package dev.nin.inference.oip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.FashionMnist;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * Turns an Open Inference Protocol v2 input tensor into the model's raw uint8 images, checking
 * everything a client sends: the input's name, datatype and shape before any allocation, then the
 * data's element count and every value.
 */
final class OipTensors {

  /** The model's only input: {@code image}, uint8 [-1, 28, 28, 1]. */
  static final String INPUT = "image";

  private OipTensors() {}

  /** The images of a REST request's {@code inputs}, row-major, 784 bytes each. */
  static Images fromJson(JsonNode inputs, int maxImages) {
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      throw new OipException(400, "'inputs' must hold exactly one tensor, named '" + INPUT + "'");
    }
    JsonNode input = inputs.get(0);
    JsonNode shapeNode = input.path("shape");
    if (!shapeNode.isArray()) {
      throw new OipException(400, "input 'image' must have shape [N, 28, 28, 1], got " + shapeNode);
    }
    var shape = new java.util.ArrayList<Long>();
    for (JsonNode d : shapeNode) {
      if (!d.isIntegralNumber() || !d.canConvertToLong()) {
        throw new OipException(400, "input 'image' has a shape that is not integers: " + shapeNode);
      }
      shape.add(d.longValue());
    }
    String datatype = input.path("datatype").asText("");
    int count = imageCount(input.path("name").asText(null), datatype, shape, maxImages);
    byte[] pixels = new byte[count * FashionMnist.PIXELS];
    requireFilled(fill(input.path("data"), pixels, isFloat(datatype)), pixels.length, count);
    return new Images(pixels, count);
  }

  /**
   * Checks an input's name, datatype and shape [N, 28, 28, 1] before anything is allocated; returns
   * N (1 ≤ N ≤ maxImages).
   */
  static int imageCount(String name, String datatype, List<Long> shape, int maxImages) {
    if (!INPUT.equals(name)) {
      throw new OipException(
          400, "unexpected input '" + name + "': model nin takes one input, '" + INPUT + "'");
    }
    if (!isFloat(datatype) && !"UINT8".equals(datatype)) {
      throw new OipException(
          400,
          "input 'image' has datatype '"
              + datatype
              + "': nin takes UINT8 (or FP32 holding whole values 0-255)");
    }
    if (shape.size() != 4
        || shape.get(1) != FashionMnist.HEIGHT
        || shape.get(2) != FashionMnist.WIDTH
        || shape.get(3) != 1) {
      throw new OipException(400, "input 'image' must have shape [N, 28, 28, 1], got " + shape);
    }
    long n = shape.get(0);
    if (n < 1 || n > maxImages) {
      throw new OipException(
          n > maxImages ? 413 : 400,
          "input 'image' holds " + n + " images; between 1 and " + maxImages + " a request");
    }
    return (int) n;
  }

  static boolean isFloat(String datatype) {
    return "FP32".equals(datatype);
  }

  static void requireFilled(long filled, int expected, int count) {
    if (filled != expected) {
      throw new OipException(
          400,
          "input 'image' has shape ["
              + count
              + ", 28, 28, 1] ("
              + expected
              + " values) but its data holds "
              + filled);
    }
  }

  /** One pixel from a number: whole values 0-255 only. */
  static byte pixel(double d, int index) {
    if (!(d >= 0 && d <= 255) || d != Math.rint(d)) {
      throw new OipException(
          400, "input 'image' value " + index + " is " + d + ": pixels are whole values 0-255");
    }
    return (byte) (int) d;
  }

  record Images(byte[] pixels, int count) {}

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
    return pixel(v.doubleValue(), index);
  }
}
