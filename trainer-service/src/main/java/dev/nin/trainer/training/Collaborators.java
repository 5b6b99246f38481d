package dev.nin.trainer.training;

import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.trainer.checkpoints.CheckpointEvents;
import dev.nin.trainer.checkpoints.CheckpointRepository;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.lineage.Reproductions;
import dev.nin.trainer.metrics.MetricRepository;
import dev.nin.trainer.persistence.DatabaseRetry;
import dev.nin.trainer.runs.RunRepository;
import dev.nin.trainer.sweeps.SweepRepository;

/**
 * What a run's execution works with, handed over as one; {@code retry} is the one retry policy
 * (patience, first pause, the retries metric) every database write of a run goes through.
 */
record Collaborators(
    TrainerConfig config,
    PipelineKafka kafka,
    RunRepository runs,
    MetricRepository metrics,
    SweepRepository sweeps,
    CheckpointRepository checkpoints,
    CheckpointEvents events,
    DeadLetterPublisher deadLetters,
    DataRequests dataRequests,
    Reproductions reproductions,
    LiveRunMetrics live,
    DatabaseRetry retry,
    io.opentelemetry.api.trace.Tracer tracer) {}
