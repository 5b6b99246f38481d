package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * A trial as a sweep shows it: a row of the {@code sweep_summary} view, with its curve.
 *
 * @param rank by best test top-1 within the sweep (ties share one)
 * @param values the run fields the trial set over the base run
 * @param testTop1 the test top-1 of each evaluated epoch, in epoch order
 */
public record TrialView(
    int rank,
    int trial,
    UUID runId,
    String status,
    String stopReason,
    JsonNode values,
    long epochsDone,
    Double bestTestTop1,
    Double finalTestTop1,
    Double durationSeconds,
    List<Double> testTop1) {}
