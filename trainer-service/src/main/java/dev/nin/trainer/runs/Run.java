package dev.nin.trainer.runs;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code training_run}.
 *
 * @param neverPredictedClasses classes the newest epoch evaluation never predicted (dead classes)
 * @param reproduces the run this one reproduces (POST /api/runs/{id}/reproduce), or null
 * @param sweepId the sweep this run is a trial of, or null
 * @param stopReason why a STOPPED_EARLY run stopped, or null
 */
public record Run(
    UUID id,
    RunStatus status,
    RunParameters parameters,
    int currentEpoch,
    long currentStep,
    Double imagesPerSecond,
    Long params,
    Long flopsPerImage,
    String device,
    String claimedBy,
    int attempts,
    boolean cancelRequested,
    String error,
    Integer batchesPerEpoch,
    Integer imagesPerEpoch,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    Double bestTestTop1,
    List<String> neverPredictedClasses,
    UUID reproduces,
    UUID sweepId,
    Integer sweepTrial,
    String stopReason) {}
