package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How a sweep judges a trial when it completes a rung's number of epochs, against the test top-1 of
 * the trials that reached the same rung before it. Asynchronous, as ASHA (Li et al., 2020) and Ray
 * Tune's ASHA scheduler: a trial is never held back waiting for others, so the first trials to
 * reach a rung always continue and later ones meet a cutoff set by those before them.
 */
public enum StopRule {
  /** Every trial trains all its epochs. */
  NONE,
  /**
   * Asynchronous successive halving: continue only at or above the (1 − 1/η) quantile of the
   * earlier trials' values at the rung, that is in their top 1/η.
   */
  ASHA,
  /** The median stopping rule (Katib's, Vizier's): continue only at or above their median. */
  MEDIAN;

  /**
   * The value a trial must reach at a rung to continue, or empty when no trial reached it before
   * (the first always continues).
   */
  public OptionalDouble cutoff(List<Double> earlier, int eta) {
    if (this == NONE || earlier.isEmpty()) {
      return OptionalDouble.empty();
    }
    double q = this == ASHA ? 1.0 - 1.0 / eta : 0.5;
    return OptionalDouble.of(quantile(earlier, q));
  }

  /** True when a trial with {@code value} at the rung stops there. */
  public boolean stops(double value, List<Double> earlier, int eta) {
    var cutoff = cutoff(earlier, eta);
    return cutoff.isPresent() && value < cutoff.getAsDouble();
  }

  /** The q-quantile with linear interpolation between order statistics (NumPy's default). */
  static double quantile(List<Double> values, double q) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  /** Its name as the API spells it. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StopRule parse(String text) {
    return Arrays.stream(values())
        .filter(rule -> rule.id().equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown early-stopping rule '" + text + "' (none, asha, median)"));
  }
}
