package dev.nin.core.model;

import java.util.List;

/**
 * One primitive layer as the seed's {@code paddle.summary} lists it: a name such as {@code
 * Conv2D-4}, NCHW shapes for one image, parameters, and multiply-adds per image.
 *
 * @param kind Conv2D, ReLU, MaxPool2D, Dropout, AdaptiveAvgPool2D or Flatten
 * @param kernel for Conv2D and MaxPool2D, the window side; 0 otherwise
 */
public record LayerShape(
    String name,
    String kind,
    List<Integer> inputShape,
    List<Integer> outputShape,
    long params,
    long multiplyAdds,
    int kernel,
    int stride,
    int padding) {

  public LayerShape {
    inputShape = List.copyOf(inputShape);
    outputShape = List.copyOf(outputShape);
  }

  public long outputElements() {
    long n = 1;
    for (int d : outputShape) {
      n *= d;
    }
    return n;
  }
}
