package dev.nin.core.model;

/**
 * How the network's parameters start.
 *
 * <p>The default keeps every class alive. The seed's last convolution, the classifier, ends in a
 * ReLU whose output the global average pooling turns into the logits. A class channel closed on
 * every image gets no gradient and is never predicted again. With Glorot-uniform and zero biases,
 * most class channels are exactly zero on every image at the start, and on seeds 2 and 5 (96 px) a
 * class never came back. An open classifier bias starts every channel open on every image; at 1 a
 * channel still closed on seed 7 at 67 px, at 10 it did not (docs/performance.md: the seed sweep).
 */
public enum WeightInit {
  /** {@link #GLOROT_UNIFORM} kernels and zero biases, except the classifier's bias: 10. Default. */
  GLOROT_UNIFORM_LIVE_CLASSIFIER,
  /**
   * Every kernel U(±sqrt(6 / (fanIn + fanOut))), fans counting the receptive field; zero biases.
   */
  GLOROT_UNIFORM,
  /** Every kernel N(0, sqrt(2 / fanIn)), truncated at two standard deviations; zero biases. */
  HE_NORMAL,
  /** {@link #HE_NORMAL} kernels and zero biases, except the classifier's bias: 10. */
  HE_NORMAL_LIVE_CLASSIFIER;

  public static final WeightInit DEFAULT = GLOROT_UNIFORM_LIVE_CLASSIFIER;

  /** Whether the classifier's bias starts open (10) rather than at 0. */
  public boolean opensClassifier() {
    return this == GLOROT_UNIFORM_LIVE_CLASSIFIER || this == HE_NORMAL_LIVE_CLASSIFIER;
  }
}
