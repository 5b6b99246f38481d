package dev.nin.trainer.metrics;

import dev.nin.trainer.metrics.MetricRepository.Metric;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
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
// Named, so Hibernate parses them at boot (see RunEntity); MetricRepository calls them by name.
@NamedQuery(
    name = RunMetricEntity.NEWEST_STEP,
    query = "from RunMetricEntity m where m.runId = ?1 and m.scope = 'step' order by m.step desc")
@NamedQuery(
    name = RunMetricEntity.NEWEST_TEST,
    query =
        "from RunMetricEntity m where m.runId = ?1 and m.scope = 'epoch' and m.split = 'test'"
            + " order by m.epoch desc")
@NamedQuery(
    name = RunMetricEntity.OF_RUN,
    query = "from RunMetricEntity m where m.runId = ?1 order by m.step, m.scope desc, m.split")
@NamedQuery(
    name = RunMetricEntity.OF_RUN_IN_SCOPE,
    query =
        "from RunMetricEntity m where m.runId = ?1 and m.scope = ?2"
            + " order by m.step, m.scope desc, m.split")
@NamedQuery(
    name = RunMetricEntity.BEST_TEST_TOP1,
    query =
        "select m.runId, max(m.top1) from RunMetricEntity m where m.runId in ?1"
            + " and m.scope = 'epoch' and m.split = 'test' group by m.runId")
@NamedQuery(
    name = RunMetricEntity.TEST_TOP1_BY_EPOCH,
    query =
        "select m.top1 from RunMetricEntity m where m.runId = ?1 and m.scope = 'epoch'"
            + " and m.split = 'test' order by m.epoch")
class RunMetricEntity {

  static final String NEWEST_STEP = "RunMetricEntity.newestStep";
  static final String NEWEST_TEST = "RunMetricEntity.newestTest";
  static final String OF_RUN = "RunMetricEntity.ofRun";
  static final String OF_RUN_IN_SCOPE = "RunMetricEntity.ofRunInScope";
  static final String BEST_TEST_TOP1 = "RunMetricEntity.bestTestTop1";
  static final String TEST_TOP1_BY_EPOCH = "RunMetricEntity.testTop1ByEpoch";

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
