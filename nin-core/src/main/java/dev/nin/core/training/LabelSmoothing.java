package dev.nin.core.training;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Label smoothing (Szegedy et al., 2016): the target puts {@code 1 - ε + ε/K} on the label and
 * {@code ε/K} on each other class. With the seed's ReLU classifier, one-hot targets push every
 * other class's logit towards the ReLU's floor, where it stops learning from the images it should
 * later win; smoothed targets ask only for a finite margin of {@code ln((1 - ε + ε/K) / (ε/K))}.
 */
final class LabelSmoothing {

  private LabelSmoothing() {}

  /**
   * @param oneHot [batch, classes], 1 at the label
   * @param epsilon the smoothing ε, a scalar in [0, 1)
   * @return [batch, classes], {@code oneHot · (1 - ε) + ε / classes}
   */
  static Operand<TFloat32> targets(
      Ops tf, Operand<TFloat32> oneHot, Operand<TFloat32> epsilon, int classes) {
    return tf.math.add(
        tf.math.mul(oneHot, tf.math.sub(tf.constant(1f), epsilon)),
        tf.math.div(epsilon, tf.constant((float) classes)));
  }
}
