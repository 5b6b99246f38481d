package dev.nin.trainer.lineage;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What a reproduction compares with, and the verdicts recorded so far. */
@ApplicationScoped
public class Reproductions {

  /** A recorded verdict, as the API and the run page show it. */
  public record Recorded(
      int epoch,
      String verdict,
      long checkpointId,
      UUID originalRunId,
      Long originalCheckpointId,
      Double maxAbsWeightDiff,
      Double testTop1Delta,
      Double testLossDelta,
      OffsetDateTime decidedAt) {}

  private final AgroalDataSource dataSource;
  private final ReproductionVerdicts verdicts;

  Reproductions(AgroalDataSource dataSource, ReproductionVerdicts verdicts) {
    this.dataSource = dataSource;
    this.verdicts = verdicts;
  }

  /**
   * The original run's newest evaluated checkpoint of {@code epoch}, if it has one. SQL, like every
   * read of {@code checkpoint} (see {@code CheckpointRepository}): it carries the state zip, tens
   * of megabytes, which a persistence context would hold twice.
   */
  public Optional<ReproductionVerdict.OriginalEpoch> originalEpoch(UUID originalRunId, int epoch) {
    String sql =
        "select id, weights_sha256, test_top1, test_loss, state_zip from checkpoint"
            + " where run_id = ? and kind = 'epoch' and epoch = ? order by id desc limit 1";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, originalRunId);
      s.setInt(2, epoch);
      try (var rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new ReproductionVerdict.OriginalEpoch(
                rs.getLong("id"),
                // null for a checkpoint written before digests existed: never identical
                rs.getString("weights_sha256"),
                rs.getDouble("test_top1"),
                rs.getDouble("test_loss"),
                rs.getBytes("state_zip")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read run " + originalRunId + "'s checkpoint", e);
    }
  }

  /** A run's verdicts, by epoch. */
  @Transactional
  public List<Recorded> verdicts(UUID runId) {
    return verdicts.find("#" + ReproductionVerdictEntity.OF_RUN, runId).stream()
        .map(ReproductionVerdictEntity::toRecorded)
        .toList();
  }

  /**
   * Records an epoch's verdict on the connection of the transaction that commits the epoch's
   * checkpoint, so the two are there together or not at all. SQL: that transaction is the
   * checkpoint's JDBC one, and an epoch redone after a crash must overwrite its verdict, an upsert
   * on (run, epoch) that Hibernate could only do as SQL MERGE, which PostgreSQL 14 lacks.
   */
  public static void record(
      Connection c, UUID runId, int epoch, long checkpointId, ReproductionVerdict v)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into reproduction_verdict (run_id, epoch, checkpoint_id, original_run_id,"
                + " original_checkpoint_id, verdict, max_abs_weight_diff, test_top1_delta,"
                + " test_loss_delta) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (run_id, epoch) do update set checkpoint_id ="
                + " excluded.checkpoint_id, original_checkpoint_id ="
                + " excluded.original_checkpoint_id, verdict = excluded.verdict,"
                + " max_abs_weight_diff = excluded.max_abs_weight_diff, test_top1_delta ="
                + " excluded.test_top1_delta, test_loss_delta = excluded.test_loss_delta,"
                + " decided_at = now()")) {
      s.setObject(1, runId);
      s.setInt(2, epoch);
      s.setLong(3, checkpointId);
      s.setObject(4, v.originalRunId());
      s.setObject(5, v.originalCheckpointId(), java.sql.Types.BIGINT);
      s.setString(6, v.verdict());
      s.setObject(7, v.maxAbsWeightDiff(), java.sql.Types.DOUBLE);
      s.setObject(8, v.testTop1Delta(), java.sql.Types.DOUBLE);
      s.setObject(9, v.testLossDelta(), java.sql.Types.DOUBLE);
      s.executeUpdate();
    }
  }
}
