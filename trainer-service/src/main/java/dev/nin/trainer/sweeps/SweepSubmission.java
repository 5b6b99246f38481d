package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The body of {@code POST /api/sweeps}: a base run (any body of {@code POST /api/runs}), the run
 * fields to vary ({@link SearchSpace}), how to search them ({@code grid}, the default, or {@code
 * random} from {@code seed}), how many trials ({@code trials}: the whole grid unless fewer are
 * asked; required for a random search), how many may train at once ({@code parallelism}, default 2)
 * and the early stopping that ends hopeless trials at rungs of completed epochs.
 */
public record SweepSubmission(
    String name,
    JsonNode base,
    JsonNode space,
    String search,
    Long seed,
    Integer trials,
    Integer parallelism,
    EarlyStopping earlyStopping) {

  /**
   * @param rule {@code none} (default), {@code asha} or {@code median}
   * @param rungs the numbers of completed epochs at which trials are judged, ascending
   * @param eta ASHA's reduction factor: a trial continues in the top 1/eta (default 3)
   */
  public record EarlyStopping(String rule, List<Integer> rungs, Integer eta) {}
}
