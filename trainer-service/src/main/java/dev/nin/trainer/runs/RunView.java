package dev.nin.trainer.runs;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A run as the API shows it. */
public record RunView(
    UUID id,
    String name,
    RunStatus status,
    RunParameters hyperparameters,
    int epoch,
    long step,
    Double imagesPerSecond,
    Long params,
    Long flopsPerImage,
    String device,
    int attempts,
    boolean cancelRequested,
    String error,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {

  static RunView of(Run run) {
    return new RunView(
        run.id(),
        run.parameters().name(),
        run.status(),
        run.parameters(),
        run.currentEpoch(),
        run.currentStep(),
        run.imagesPerSecond(),
        run.params(),
        run.flopsPerImage(),
        run.device(),
        run.attempts(),
        run.cancelRequested(),
        run.error(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt());
  }
}
