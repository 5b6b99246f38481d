package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A sweep as the API shows it: its request, its state and its trials, best first.
 *
 * @param status QUEUED, RUNNING, SUCCEEDED (every trial ended) or CANCELLED
 * @param trialStatuses how many trials are in each run status
 */
public record SweepView(
    UUID id,
    String name,
    String status,
    String search,
    long seed,
    int trials,
    int parallelism,
    EarlyStoppingView earlyStopping,
    JsonNode spec,
    Map<String, Long> trialStatuses,
    TrialView best,
    List<TrialView> trialsByRank,
    OffsetDateTime createdAt) {

  public record EarlyStoppingView(StopRule rule, List<Integer> rungs, int eta) {}

  static SweepView of(SweepEntity sweep, JsonNode spec, List<TrialView> trials) {
    var counts = new TreeMap<String, Long>();
    trials.forEach(t -> counts.merge(t.status(), 1L, Long::sum));
    long ended =
        trials.stream()
            .filter(t -> !t.status().equals("QUEUED") && !t.status().equals("RUNNING"))
            .count();
    String status;
    if (sweep.cancelRequested) {
      status = "CANCELLED";
    } else if (ended == trials.size()) {
      status = "SUCCEEDED";
    } else if (counts.containsKey("RUNNING") || ended > 0) {
      status = "RUNNING";
    } else {
      status = "QUEUED";
    }
    TrialView best = trials.stream().filter(t -> t.bestTestTop1() != null).findFirst().orElse(null);
    return new SweepView(
        sweep.id,
        sweep.name,
        status,
        sweep.search,
        sweep.seed,
        sweep.trials,
        sweep.parallelism,
        new EarlyStoppingView(sweep.rule(), sweep.rungList(), sweep.eta),
        spec,
        counts,
        best,
        trials,
        sweep.createdAt);
  }
}
