package dev.nin.trainer.runs;

import dev.nin.trainer.metrics.ClassMetric;
import dev.nin.trainer.metrics.MetricRepository;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A run as the API shows it.
 *
 * @param latestClasses the newest evaluated epoch class by class (only when one run is asked for)
 * @param neverPredictedClasses classes the newest evaluation never predicted: a run with one has a
 *     dead class, which the seed's ReLU classifier does not recover from
 */
public record RunView(
    UUID id,
    String name,
    RunStatus status,
    RunParameters hyperparameters,
    int epoch,
    long step,
    Long totalSteps,
    Double progress,
    Double imagesPerSecond,
    Long etaSeconds,
    Double bestTestTop1,
    Long params,
    Long flopsPerImage,
    String device,
    int attempts,
    boolean cancelRequested,
    String error,
    String stopReason,
    UUID sweepId,
    Integer sweepTrial,
    List<MetricRepository.Metric> latestMetrics,
    List<ClassMetric> latestClasses,
    List<String> neverPredictedClasses,
    UUID reproduces,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {

  public static RunView of(Run run) {
    return of(run, List.of(), List.of());
  }

  /**
   * With the run's latest step metric and latest test evaluation, when asked for one run. Progress
   * and ETA are known once the first batch told the trainer how many batches an epoch has.
   */
  static RunView of(
      Run run, List<MetricRepository.Metric> latest, List<ClassMetric> latestClasses) {
    Long total =
        run.batchesPerEpoch() == null
            ? null
            : (long) run.batchesPerEpoch() * run.parameters().epochs();
    Double progress = total == null ? null : Math.min(1.0, (double) run.currentStep() / total);
    Long eta = null;
    if (total != null
        && run.status() == RunStatus.RUNNING
        && run.imagesPerSecond() != null
        && run.imagesPerSecond() > 0) {
      double stepsPerSecond = run.imagesPerSecond() / run.parameters().batchSize();
      eta = Math.round((total - run.currentStep()) / stepsPerSecond);
    }
    return new RunView(
        run.id(),
        run.parameters().name(),
        run.status(),
        run.parameters(),
        run.currentEpoch(),
        run.currentStep(),
        total,
        progress,
        run.imagesPerSecond(),
        eta,
        run.bestTestTop1(),
        run.params(),
        run.flopsPerImage(),
        run.device(),
        run.attempts(),
        run.cancelRequested(),
        run.error(),
        run.stopReason(),
        run.sweepId(),
        run.sweepTrial(),
        latest,
        latestClasses,
        run.neverPredictedClasses(),
        run.reproduces(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt());
  }
}
