package dev.nin.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks an architecture for one input size and lists its primitive layers with shapes, parameters
 * and multiply-adds, numbering them the way {@code paddle.summary} does.
 */
public final class ShapeWalk {

  private ShapeWalk() {}

  public static List<LayerShape> layers(NinArchitecture architecture, int resize) {
    var walk = new Walker(architecture.inputChannels(), resize);
    for (Layer layer : architecture.layers()) {
      if (layer instanceof Layer.NinBlock b) {
        walk.conv(b.outChannels(), b.kernel(), b.stride(), b.padding());
        walk.relu();
        for (int i = 0; i < architecture.oneByOneConvs(); i++) {
          walk.conv(b.outChannels(), 1, 1, 0);
          walk.relu();
        }
      } else if (layer instanceof Layer.MaxPool p) {
        walk.maxPool(p.window(), p.stride());
      } else if (layer instanceof Layer.Dropout) {
        walk.same("Dropout");
      } else if (layer instanceof Layer.GlobalAvgPool) {
        walk.globalAvgPool();
      } else if (layer instanceof Layer.Flatten) {
        walk.flatten();
      }
    }
    return walk.rows;
  }

  /** The smallest square input every layer still fits (67 px for the seed's NiN). */
  public static int smallestInput(NinArchitecture architecture) {
    for (int side = 1; side <= 4096; side++) {
      if (fits(architecture, side)) {
        return side;
      }
    }
    throw new IllegalStateException("no input up to 4096 px fits " + architecture);
  }

  private static boolean fits(NinArchitecture architecture, int side) {
    try {
      layers(architecture, side);
      return true;
    } catch (IllegalArgumentException tooSmall) {
      return false;
    }
  }

  private static final class Walker {
    final List<LayerShape> rows = new ArrayList<>();
    final Map<String, Integer> counters = new HashMap<>();
    List<Integer> shape;

    Walker(int channels, int side) {
      shape = List.of(1, channels, side, side);
    }

    String next(String kind) {
      return kind + "-" + counters.merge(kind, 1, Integer::sum);
    }

    void conv(int out, int kernel, int stride, int padding) {
      int in = shape.get(1);
      int h = outSide(shape.get(2), kernel, stride, padding);
      int w = outSide(shape.get(3), kernel, stride, padding);
      long params = (long) kernel * kernel * in * out + out;
      long macs = (long) h * w * out * kernel * kernel * in;
      add("Conv2D", List.of(1, out, h, w), params, macs, kernel, stride, padding);
    }

    void relu() {
      same("ReLU");
    }

    void maxPool(int window, int stride) {
      int h = outSide(shape.get(2), window, stride, 0);
      int w = outSide(shape.get(3), window, stride, 0);
      add("MaxPool2D", List.of(1, shape.get(1), h, w), 0, 0, window, stride, 0);
    }

    void globalAvgPool() {
      add("AdaptiveAvgPool2D", List.of(1, shape.get(1), 1, 1), 0, 0, 0, 0, 0);
    }

    void flatten() {
      add("Flatten", List.of(1, shape.get(1)), 0, 0, 0, 0, 0);
    }

    void same(String kind) {
      add(kind, shape, 0, 0, 0, 0, 0);
    }

    void add(
        String kind,
        List<Integer> out,
        long params,
        long macs,
        int kernel,
        int stride,
        int padding) {
      rows.add(new LayerShape(next(kind), kind, shape, out, params, macs, kernel, stride, padding));
      shape = out;
    }

    static int outSide(int in, int window, int stride, int padding) {
      int padded = in + 2 * padding;
      if (padded < window) {
        throw new IllegalArgumentException(
            "a " + window + "x" + window + " window does not fit a " + in + " px input");
      }
      return (padded - window) / stride + 1;
    }
  }
}
