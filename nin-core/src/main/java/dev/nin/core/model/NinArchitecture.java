package dev.nin.core.model;

import static dev.nin.core.model.NinArchitecture.Blocks.*;

import java.util.List;

/**
 * The network of the seed chapter (d2l "Network in Network"), as data. Reads like the book:
 *
 * <pre>
 * NiN = nn.Sequential(
 *     nin_block(1, 96, kernel_size=11, strides=4, padding=0),
 *     nn.MaxPool2D(3, stride=2),
 *     nin_block(96, 256, kernel_size=5, strides=1, padding=2),
 *     nn.MaxPool2D(3, stride=2),
 *     nin_block(256, 384, kernel_size=3, strides=1, padding=1),
 *     nn.MaxPool2D(3, stride=2), nn.Dropout(0.5),
 *     nin_block(384, 10, kernel_size=3, strides=1, padding=1),
 *     nn.AdaptiveAvgPool2D((1, 1)),
 *     nn.Flatten())
 * </pre>
 *
 * The graph builder, the summary and the FLOP count all walk this one list.
 */
public record NinArchitecture(List<Layer> layers, int inputChannels, int oneByOneConvs) {

  public NinArchitecture {
    layers = List.copyOf(layers);
  }

  /** The seed's NiN for the given configuration (classes, dropout, 1×1 convs per block). */
  public static NinArchitecture of(NinConfig config) {
    return of(config.classes(), config.dropout(), config.oneByOneConvs());
  }

  static NinArchitecture of(int classes, double dropoutRate, int oneByOneConvs) {
    return new NinArchitecture(
        List.of(
            ninBlock(96, 11, 4, 0),
            maxPool(3, 2),
            ninBlock(256, 5, 1, 2),
            maxPool(3, 2),
            ninBlock(384, 3, 1, 1),
            maxPool(3, 2),
            dropout(dropoutRate),
            ninBlock(classes, 3, 1, 1),
            globalAvgPool(),
            flatten()),
        1,
        oneByOneConvs);
  }

  /** Short factory names so that {@link #of} reads like the seed's Sequential. */
  static final class Blocks {
    private Blocks() {}

    static Layer ninBlock(int outChannels, int kernel, int stride, int padding) {
      return new Layer.NinBlock(outChannels, kernel, stride, padding);
    }

    static Layer maxPool(int window, int stride) {
      return new Layer.MaxPool(window, stride);
    }

    static Layer dropout(double rate) {
      return new Layer.Dropout(rate);
    }

    static Layer globalAvgPool() {
      return new Layer.GlobalAvgPool();
    }

    static Layer flatten() {
      return new Layer.Flatten();
    }
  }
}
