package dev.nin.trainer.training;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A single run's early stopping, as Keras' {@code EarlyStopping(patience, min_delta)} on the test
 * top-1: a new best must beat the best so far by more than {@code minDelta}; once {@code patience}
 * evaluated epochs pass without one, the run has reached its plateau.
 */
record Plateau(int patience, double minDelta) {

  /**
   * Whether the run should stop after the last of {@code testTop1} (one value an evaluated epoch,
   * in order), and if so why.
   */
  Optional<String> reached(List<Double> testTop1) {
    double best = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1;
    for (int epoch = 0; epoch < testTop1.size(); epoch++) {
      double value = testTop1.get(epoch);
      if (value > best + minDelta || bestEpoch < 0) {
        best = value;
        bestEpoch = epoch;
      }
    }
    int last = testTop1.size() - 1;
    if (bestEpoch < 0 || last - bestEpoch < patience) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "plateau: no test top-1 above %.4f (+%s) for %d epochs since epoch %d",
            best,
            minDelta,
            last - bestEpoch,
            bestEpoch));
  }
}
