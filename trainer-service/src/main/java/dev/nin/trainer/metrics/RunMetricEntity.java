package dev.nin.trainer.metrics;

import dev.nin.trainer.metrics.MetricRepository.Metric;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code run_metric}, read through Hibernate. Immutable: rows are written only by the
 * natural-key upsert in {@link MetricRepository}, never through the persistence context.
 */
@Entity
@Immutable
@Table(name = "run_metric")
class RunMetricEntity {

  @Id Long id;

  @Column(name = "run_id")
  UUID runId;

  String scope;
  String split;
  int epoch;
  long step;
  Double loss;
  Double top1;
  Double top5;
  Long images;

  @Column(name = "images_per_s")
  Double imagesPerSecond;

  @Column(name = "learning_rate")
  Double learningRate;

  Double seconds;

  @Column(name = "recorded_at")
  OffsetDateTime recordedAt;

  Metric toMetric() {
    return new Metric(
        scope,
        split,
        epoch,
        step,
        loss,
        top1,
        top5,
        images,
        imagesPerSecond,
        learningRate,
        seconds,
        recordedAt);
  }
}
