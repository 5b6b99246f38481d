package dev.nin.inference.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One entry of the serving history: a model loaded or rejected, a pin set or removed, and each step
 * of a promotion (gate, shadow, canary). A trial's outcome carries its figures: the requests it
 * saw, its errors, its agreement with the serving model and its p99 latency.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEvent(
    Instant at,
    Kind kind,
    Long checkpointId,
    String runId,
    Integer epoch,
    Long millis,
    String detail,
    TrialFigures figures) {

  public enum Kind {
    LOADED,
    REJECTED,
    PINNED,
    UNPINNED,
    /** The gate kept a candidate out: its test top-1 falls too far below the serving model's. */
    GATED,
    SHADOW_STARTED,
    /** The shadow saw its requests; the figures hold the agreement and latency. */
    SHADOW_ENDED,
    CANARY_STARTED,
    /** The canary answered an error (or the shadow agreed too little): the candidate is out. */
    TRIAL_FAILED,
    /** A newer candidate or a pin replaced the one on trial. */
    TRIAL_ABANDONED,
    /** The candidate took over after its trial. */
    PROMOTED
  }

  /** What a shadow or canary measured. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrialFigures(long requests, long errors, Double agreement, Double p99Millis) {}

  static ModelEvent of(Kind kind, ModelVersion version, Long millis, String detail) {
    return of(kind, version, millis, detail, null);
  }

  static ModelEvent of(
      Kind kind, ModelVersion version, Long millis, String detail, TrialFigures figures) {
    return new ModelEvent(
        Instant.now(),
        kind,
        version.checkpointId(),
        version.runId(),
        version.epoch(),
        millis,
        detail,
        figures);
  }
}
