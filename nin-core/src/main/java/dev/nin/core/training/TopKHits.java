package dev.nin.core.training;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Counts the images whose label is among the k highest logits, with ties counted against the label.
 *
 * <p>TensorFlow's {@code InTopK} counts every tied class as inside the top k. A network that
 * collapsed to a constant output, which the seed's final ReLU makes possible (every logit exactly
 * 0), would then score top-1 1.0. Here such an image is a miss, and so is an image with a NaN
 * logit, so a collapsed or diverged network shows as one, not as a perfect one.
 */
final class TopKHits {

  private TopKHits() {}

  /**
   * @param logits [batch, classes]
   * @param oneHot [batch, classes], 1 at the label
   * @return the number of hits in the batch, as a float scalar
   */
  static Operand<TFloat32> count(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot, int k) {
    var classAxis = tf.constant(1);
    var labelLogit = tf.reduceSum(tf.math.mul(logits, oneHot), classAxis, ReduceSum.keepDims(true));
    // the classes not strictly below the label: the label itself, every tie, and any NaN
    var notBelow =
        tf.reduceSum(
            tf.dtypes.cast(tf.math.logicalNot(tf.math.less(logits, labelLogit)), TFloat32.class),
            classAxis);
    var finite = tf.reduceAll(tf.math.isFinite(logits), classAxis);
    var hits = tf.math.logicalAnd(finite, tf.math.lessEqual(notBelow, tf.constant((float) k)));
    return tf.reduceSum(tf.dtypes.cast(hits, TFloat32.class), tf.constant(0));
  }
}
