package dev.nin.core.training;

import dev.nin.core.graph.Parameter;
import dev.nin.core.model.WeightInit;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initial values, drawn in Java from a seeded generator so that a seed gives the same network on
 * every machine and TensorFlow build. Biases start at zero, except the open classifier's.
 */
final class WeightInitializer {

  /**
   * 10, not 1 (nor 0.1): a class channel closes for good once the classifier's input pushes its
   * pre-activation below zero on every image. Adam moves the bias by at most about the learning
   * rate a step, so a bias of 10 keeps every channel open through the first epochs, while 1 let one
   * close on seed 7 at 67 px (docs/performance.md, "Converge on every seed").
   */
  static final float OPEN_CLASSIFIER_BIAS = 10f;

  private WeightInitializer() {}

  /**
   * @param index position of the parameter in the model: each draws from its own stream
   * @param classifier whether the parameter belongs to the network's last convolution
   */
  static float[] initialValues(
      Parameter parameter, WeightInit init, long seed, int index, boolean classifier) {
    float[] values = new float[parameter.size()];
    if (!parameter.isKernel()) {
      if (classifier && init.opensClassifier()) {
        // the classifier's inputs start tiny, so the bias opens every class channel on every image
        Arrays.fill(values, OPEN_CLASSIFIER_BIAS);
      }
      return values;
    }
    var random = new SplittableRandom(seed * 1_000_003L + index);
    switch (init) {
      case GLOROT_UNIFORM, GLOROT_UNIFORM_LIVE_CLASSIFIER -> {
        double limit = Math.sqrt(6.0 / (parameter.fanIn() + parameter.fanOut()));
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
      }
      case HE_NORMAL, HE_NORMAL_LIVE_CLASSIFIER -> {
        // truncated at two standard deviations, like Keras' he_normal
        double stddev = Math.sqrt(2.0 / parameter.fanIn()) / 0.87962566103423978;
        for (int i = 0; i < values.length; i++) {
          double g;
          do {
            g = gaussian(random);
          } while (Math.abs(g) > 2);
          values[i] = (float) (g * stddev);
        }
      }
    }
    return values;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
