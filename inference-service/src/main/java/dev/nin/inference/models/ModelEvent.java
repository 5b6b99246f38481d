package dev.nin.inference.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One entry of the load history: a model loaded, a checkpoint rejected, a pin set or removed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEvent(
    Instant at,
    Kind kind,
    Long checkpointId,
    String runId,
    Integer epoch,
    Long millis,
    String detail) {

  public enum Kind {
    LOADED,
    REJECTED,
    PINNED,
    UNPINNED
  }

  static ModelEvent of(Kind kind, ModelVersion version, Long millis, String detail) {
    return new ModelEvent(
        Instant.now(),
        kind,
        version.checkpointId(),
        version.runId(),
        version.epoch(),
        millis,
        detail);
  }
}
