package dev.nin.core.model;

/**
 * How the network's parameters start.
 *
 * <p>The default keeps every class alive. The seed's last convolution, the classifier, ends in a
 * ReLU whose output the global average pooling turns into the logits. With Glorot-uniform
 * everywhere, most class channels are exactly zero on every image at the start and the first Adam
 * steps switch them on and off; on two of three seeds one class (Shirt) never came back, was never
 * predicted, and one epoch at 96 px stopped at 0.81. A zero classifier kernel with bias 1 starts
 * every class channel open on every image (uniform output, loss ln 10), so each class learns from
 * the first step. Measured three seeds each in docs/performance.md.
 */
public enum WeightInit {
  /** {@link #GLOROT_UNIFORM}, except the classifier: zero kernel, bias 1. The default. */
  GLOROT_UNIFORM_LIVE_CLASSIFIER,
  /**
   * Every kernel U(±sqrt(6 / (fanIn + fanOut))), fans counting the receptive field; zero biases.
   */
  GLOROT_UNIFORM,
  /** Every kernel N(0, sqrt(2 / fanIn)), truncated at two standard deviations; zero biases. */
  HE_NORMAL;

  public static final WeightInit DEFAULT = GLOROT_UNIFORM_LIVE_CLASSIFIER;

  /** Whether the classifier starts with a zero kernel and bias 1 rather than like the others. */
  public boolean opensClassifier() {
    return this == GLOROT_UNIFORM_LIVE_CLASSIFIER;
  }
}
