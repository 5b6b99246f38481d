package dev.nin.trainer.lineage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code reproduction_verdict}, read through Hibernate; written only by {@link
 * Reproductions#record}, inside the transaction that commits the epoch's checkpoint.
 */
@Entity
@Immutable
@IdClass(ReproductionVerdictEntity.Key.class)
@Table(name = "reproduction_verdict")
// Named, so Hibernate parses it at boot (see RunEntity); Reproductions calls it by name.
@NamedQuery(
    name = ReproductionVerdictEntity.OF_RUN,
    query = "from ReproductionVerdictEntity v where v.runId = ?1 order by v.epoch")
class ReproductionVerdictEntity {

  static final String OF_RUN = "ReproductionVerdictEntity.ofRun";

  @Id
  @Column(name = "run_id")
  UUID runId;

  @Id int epoch;

  @Column(name = "checkpoint_id")
  long checkpointId;

  @Column(name = "original_run_id")
  UUID originalRunId;

  @Column(name = "original_checkpoint_id")
  Long originalCheckpointId;

  String verdict;

  @Column(name = "max_abs_weight_diff")
  Double maxAbsWeightDiff;

  @Column(name = "test_top1_delta")
  Double testTop1Delta;

  @Column(name = "test_loss_delta")
  Double testLossDelta;

  @Column(name = "decided_at")
  OffsetDateTime decidedAt;

  Reproductions.Recorded toRecorded() {
    return new Reproductions.Recorded(
        epoch,
        verdict,
        checkpointId,
        originalRunId,
        originalCheckpointId,
        maxAbsWeightDiff,
        testTop1Delta,
        testLossDelta,
        decidedAt);
  }

  /** The primary key (run_id, epoch). */
  static class Key implements Serializable {
    UUID runId;
    int epoch;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(runId, k.runId) && epoch == k.epoch;
    }

    @Override
    public int hashCode() {
      return Objects.hash(runId, epoch);
    }
  }
}
