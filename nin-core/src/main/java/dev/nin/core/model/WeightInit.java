package dev.nin.core.model;

/**
 * How the network's parameters start.
 *
 * <p>The default keeps every class alive. The seed's last convolution, the classifier, ends in a
 * ReLU whose output the global average pooling turns into the logits. With Glorot-uniform and zero
 * biases, activations shrink layer by layer, most class channels are exactly zero on every image at
 * the start, and the first Adam steps switch them on and off; on seeds 2 and 5 a class (Shirt,
 * T-shirt/top) never came back and was never predicted. A classifier bias of 1 starts every class
 * channel open on every image (its inputs are tiny, so the pre-activation is about 1), so each
 * class learns from the first step: one epoch at 96 px went from 0.67–0.83 to 0.81–0.83 over five
 * seeds (docs/performance.md).
 */
public enum WeightInit {
  /** {@link #GLOROT_UNIFORM} kernels and zero biases, except the classifier's bias: 1. Default. */
  GLOROT_UNIFORM_LIVE_CLASSIFIER,
  /**
   * Every kernel U(±sqrt(6 / (fanIn + fanOut))), fans counting the receptive field; zero biases.
   */
  GLOROT_UNIFORM,
  /** Every kernel N(0, sqrt(2 / fanIn)), truncated at two standard deviations; zero biases. */
  HE_NORMAL;

  public static final WeightInit DEFAULT = GLOROT_UNIFORM_LIVE_CLASSIFIER;

  /** Whether the classifier's bias starts at 1 rather than 0. */
  public boolean opensClassifier() {
    return this == GLOROT_UNIFORM_LIVE_CLASSIFIER;
  }
}
