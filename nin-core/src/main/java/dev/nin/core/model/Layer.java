package dev.nin.core.model;

/** One entry of the model's declarative definition; {@link NinArchitecture} lists them in order. */
public sealed interface Layer {

  /**
   * A NiN block: a k×k convolution, then {@code oneByOneConvs} 1×1 convolutions, each followed by a
   * ReLU: the seed's {@code nin_block(in, out, kernel_size, strides, padding)}.
   */
  record NinBlock(int outChannels, int kernel, int stride, int padding) implements Layer {}

  /**
   * Max pooling over a square window, no padding (the seed's {@code nn.MaxPool2D(3, stride=2)}).
   */
  record MaxPool(int window, int stride) implements Layer {}

  /** Inverted dropout: active while training, the identity when evaluating or serving. */
  record Dropout(double rate) implements Layer {}

  /** Mean over height and width: the seed's {@code nn.AdaptiveAvgPool2D((1, 1))}. */
  record GlobalAvgPool() implements Layer {}

  /** (N, C, 1, 1) → (N, C): the seed's {@code nn.Flatten()}; its output is the logits. */
  record Flatten() implements Layer {}
}
