package dev.nin.trainer.metrics;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code epoch_class_metric}, read through Hibernate; written only by the upsert in {@link
 * MetricRepository}. The generated {@code recall} column is left unmapped: {@link
 * ClassMetric#recall()} computes it, and a mapped generated column could not be inserted.
 */
@Entity
@Immutable
@IdClass(EpochClassMetricEntity.Key.class)
@Table(name = "epoch_class_metric")
// Named, so Hibernate parses them at boot (see RunEntity); MetricRepository calls them by name.
@NamedQuery(
    name = EpochClassMetricEntity.NEWEST_EPOCH,
    query =
        "from EpochClassMetricEntity c where c.runId = ?1 and c.epoch = (select max(e.epoch)"
            + " from EpochClassMetricEntity e where e.runId = ?1) order by c.classIndex")
@NamedQuery(
    name = EpochClassMetricEntity.OF_RUN,
    query = "from EpochClassMetricEntity c where c.runId = ?1 order by c.epoch, c.classIndex")
@NamedQuery(
    name = EpochClassMetricEntity.NEVER_PREDICTED,
    query =
        "select c.runId, c.className from EpochClassMetricEntity c where c.runId in ?1"
            + " and c.predicted = 0 and c.epoch = (select max(e.epoch) from"
            + " EpochClassMetricEntity e where e.runId = c.runId)"
            + " order by c.runId, c.classIndex")
class EpochClassMetricEntity {

  static final String NEWEST_EPOCH = "EpochClassMetricEntity.newestEpoch";
  static final String OF_RUN = "EpochClassMetricEntity.ofRun";
  static final String NEVER_PREDICTED = "EpochClassMetricEntity.neverPredicted";

  @Id
  @Column(name = "run_id")
  UUID runId;

  @Id int epoch;

  @Id
  @Column(name = "class_index")
  int classIndex;

  @Column(name = "class_name")
  String className;

  long images;
  long hits;
  long predicted;

  /** bigint[]: how often each class was predicted for this one (null in rows before V12). */
  @Column(name = "predicted_as")
  Long[] predictedAs;

  ClassMetric toClassMetric() {
    return new ClassMetric(
        epoch,
        classIndex,
        className,
        images,
        hits,
        predicted,
        predictedAs == null ? null : List.of(predictedAs));
  }

  /** The primary key (run_id, epoch, class_index). */
  static class Key implements Serializable {
    UUID runId;
    int epoch;
    int classIndex;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(runId, k.runId)
          && epoch == k.epoch
          && classIndex == k.classIndex;
    }

    @Override
    public int hashCode() {
      return Objects.hash(runId, epoch, classIndex);
    }
  }
}
