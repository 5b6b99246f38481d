package dev.nin.core.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The update rule. Adam with lr 0.001 is the seed's recipe. */
public enum Optimizer {
  /** TensorFlow's ApplyAdam, beta1 0.9, beta2 0.999, epsilon 1e-8 (Paddle's defaults). */
  ADAM,
  /** Plain gradient descent. */
  SGD;

  /** Its name as the API, the database and the command line spell it: {@code adam}, {@code sgd}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optimizer parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("optimizer must be adam or sgd, was '" + name + "'", e);
    }
  }
}
