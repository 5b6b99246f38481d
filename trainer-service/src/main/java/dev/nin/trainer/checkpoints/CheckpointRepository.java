package dev.nin.trainer.checkpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.trainer.lineage.ReproductionVerdict;
import dev.nin.trainer.lineage.Reproductions;
import dev.nin.trainer.metrics.ClassMetric;
import dev.nin.trainer.metrics.MetricRepository;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code checkpoint} rows, written together with the metrics and progress they belong to.
 *
 * <p>Plain SQL, unlike runs and metrics (Panache), for two reasons. A row carries two {@code bytea}
 * zips of tens of megabytes: Hibernate keeps a copy of each managed entity's loaded state, so an
 * entity would hold every zip twice until its transaction ends, and {@link #newestIntact} must let
 * go of one state before it reads the next. And an epoch's end is one transaction whose other
 * writes are upserts that are SQL anyway (see {@link MetricRepository#insert(Connection, UUID,
 * MetricRepository.Metric)}): it runs on one JDBC connection, committed here.
 */
@ApplicationScoped
public class CheckpointRepository {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(CheckpointRepository.class);

  /** A servable checkpoint as written, for the {@code nin.checkpoints} event. */
  public record Saved(long id, String modelSha256, long modelBytes) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AgroalDataSource dataSource;
  private final MetricRepository metrics;

  CheckpointRepository(AgroalDataSource dataSource, MetricRepository metrics) {
    this.dataSource = dataSource;
    this.metrics = metrics;
  }

  /**
   * An epoch's end, in one transaction: the evaluated checkpoint (SavedModel and training state),
   * the epoch's train and test metrics (the test split class by class too), and the run's progress.
   * Either all of it is there after a crash, or none, and the epoch is redone from the previous
   * checkpoint.
   */
  public Saved saveEpoch(
      UUID runId,
      int epoch,
      long step,
      double testLoss,
      double testTop1,
      double testTop5,
      byte[] modelZip,
      byte[] stateZip,
      long nextOffset,
      long batchesDigest,
      String weightsSha256,
      byte[] lineageJson,
      List<MetricRepository.Metric> epochMetrics,
      List<ClassMetric> testClasses,
      ReproductionVerdict verdict) {
    String modelSha = Sha256.hex(modelZip);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id =
            insert(
                c,
                runId,
                epoch,
                step,
                CheckpointKind.EPOCH,
                testLoss,
                testTop1,
                testTop5,
                modelZip,
                modelSha,
                stateZip,
                nextOffset,
                0,
                "{}",
                batchesDigest);
        // SQL: inside the epoch's JDBC transaction (see the class comment)
        try (PreparedStatement s =
            c.prepareStatement(
                "update checkpoint set weights_sha256 = ?, lineage = ?::jsonb where id = ?")) {
          s.setString(1, weightsSha256);
          s.setString(2, new String(lineageJson, java.nio.charset.StandardCharsets.UTF_8));
          s.setLong(3, id);
          s.executeUpdate();
        }
        if (verdict != null) {
          Reproductions.record(c, runId, epoch, id, verdict);
        }
        for (var m : epochMetrics) {
          metrics.insert(c, runId, m);
        }
        metrics.insertClasses(c, runId, testClasses);
        // SQL: the run's progress commits with its checkpoint, in this JDBC transaction
        try (PreparedStatement s =
            c.prepareStatement(
                "update training_run set current_epoch = ?, current_step = ? where id = ?")) {
          s.setInt(1, epoch + 1);
          s.setLong(2, step);
          s.setObject(3, runId);
          s.executeUpdate();
        }
        c.commit();
        return new Saved(id, modelSha, modelZip.length);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not save the epoch checkpoint of run " + runId, e);
    }
  }

  /** A mid-epoch checkpoint: only for resuming, never served. */
  public long saveResume(
      UUID runId,
      int epoch,
      long step,
      byte[] stateZip,
      long nextOffset,
      long imagesInEpoch,
      Object epochProgress) {
    try (Connection c = dataSource.getConnection()) {
      return insert(
          c,
          runId,
          epoch,
          step,
          CheckpointKind.RESUME,
          null,
          null,
          null,
          null,
          null,
          stateZip,
          nextOffset,
          imagesInEpoch,
          JSON.writeValueAsString(epochProgress),
          null); // the running digest lives in epoch_progress until the epoch ends
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("could not save a resume checkpoint of run " + runId, e);
    }
  }

  /** What the API lists of a checkpoint (no zips). */
  public record Listed(
      long id,
      CheckpointKind kind,
      int epoch,
      long step,
      Double testLoss,
      Double testTop1,
      Double testTop5,
      String modelSha256,
      Long modelBytes,
      String weightsSha256,
      java.time.OffsetDateTime createdAt) {}

  /**
   * A run's checkpoints, oldest first. SQL: names only the small columns (an entity would load the
   * zips' columns too, or need a second mapping without them).
   */
  public java.util.List<Listed> list(UUID runId) {
    String sql =
        "select id, kind, epoch, step, test_loss, test_top1, test_top5, model_sha256, model_bytes,"
            + " weights_sha256, created_at from checkpoint where run_id = ? order by step, id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, runId);
      var listed = new java.util.ArrayList<Listed>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          listed.add(
              new Listed(
                  rs.getLong("id"),
                  CheckpointKind.of(rs.getString("kind")),
                  rs.getInt("epoch"),
                  rs.getLong("step"),
                  (Double) rs.getObject("test_loss"),
                  (Double) rs.getObject("test_top1"),
                  (Double) rs.getObject("test_top5"),
                  rs.getString("model_sha256"),
                  (Long) rs.getObject("model_bytes"),
                  rs.getString("weights_sha256"),
                  rs.getObject("created_at", java.time.OffsetDateTime.class)));
        }
      }
      return listed;
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the checkpoints of run " + runId, e);
    }
  }

  /** An evaluated checkpoint's SavedModel zip and its SHA-256, to download. */
  public record SavedModelZip(long id, byte[] zip, String sha256) {}

  /** SQL: one blob read whole (see the class comment). */
  public Optional<SavedModelZip> savedModel(long checkpointId) {
    String sql = "select model_zip, model_sha256 from checkpoint where id = ? and kind = 'epoch'";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, checkpointId);
      try (var rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new SavedModelZip(
                    checkpointId, rs.getBytes("model_zip"), rs.getString("model_sha256")))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read checkpoint " + checkpointId, e);
    }
  }

  /**
   * An evaluated checkpoint's lineage JSON; empty for none (or one written before lineage). SQL:
   * the {@code jsonb} column read as the text it was written as.
   */
  public Optional<String> lineage(long checkpointId) {
    String sql = "select lineage::text from checkpoint where id = ? and kind = 'epoch'";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, checkpointId);
      try (var rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read checkpoint " + checkpointId, e);
    }
  }

  /**
   * The newest checkpoint of a run, of either kind, whose training state still hashes to the
   * SHA-256 recorded when it was written: a damaged one is skipped (logged) for the one before it,
   * so a run resumes from intact weights, or from the start if none is. States are read one at a
   * time: each is tens of megabytes, which is why this reads through JDBC.
   */
  public Optional<Checkpoint> newestIntact(UUID runId) {
    try (Connection c = dataSource.getConnection()) {
      var ids = new java.util.ArrayList<Long>();
      try (PreparedStatement s =
          c.prepareStatement(
              "select id from checkpoint where run_id = ? order by step desc, id desc")) {
        s.setObject(1, runId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      for (long id : ids) {
        var checkpoint = read(c, runId, id);
        if (checkpoint.isEmpty()) {
          continue; // deleted meanwhile
        }
        String actual = Sha256.hex(checkpoint.get().stateZip());
        if (actual.equalsIgnoreCase(checkpoint.get().stateSha256())) {
          return checkpoint;
        }
        LOG.warnf(
            "run %s: checkpoint %d is damaged (its state hashes to %s, %s was recorded);"
                + " resuming from an older one",
            runId, id, actual, checkpoint.get().stateSha256());
      }
      return Optional.empty();
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("could not read the checkpoints of run " + runId, e);
    }
  }

  private static Optional<Checkpoint> read(Connection c, UUID runId, long id)
      throws SQLException, JsonProcessingException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select id, epoch, step, kind, state_zip, state_sha256, resume_offsets, epoch_progress"
                + " from checkpoint where id = ?")) {
      s.setLong(1, id);
      try (var rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Map<?, ?> offsets = JSON.readValue(rs.getString("resume_offsets"), Map.class);
        long next = ((Number) offsets.get("0")).longValue();
        return Optional.of(
            new Checkpoint(
                rs.getLong("id"),
                runId,
                rs.getInt("epoch"),
                rs.getLong("step"),
                CheckpointKind.of(rs.getString("kind")),
                rs.getBytes("state_zip"),
                rs.getString("state_sha256"),
                next,
                rs.getString("epoch_progress")));
      }
    }
  }

  /** SQL: the row with its zips, on the caller's connection (see the class comment). */
  private static long insert(
      Connection c,
      UUID runId,
      int epoch,
      long step,
      CheckpointKind kind,
      Double testLoss,
      Double testTop1,
      Double testTop5,
      byte[] modelZip,
      String modelSha,
      byte[] stateZip,
      long nextOffset,
      long imagesInEpoch,
      String epochProgressJson,
      Long epochBatchesDigest)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into checkpoint (run_id, epoch, step, kind, test_loss, test_top1, test_top5,"
                + " model_zip, model_sha256, model_bytes, state_zip, state_sha256, images_in_epoch,"
                + " resume_offsets, epoch_progress, epoch_batches_digest)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)"
                + " returning id")) {
      s.setObject(1, runId);
      s.setInt(2, epoch);
      s.setLong(3, step);
      s.setString(4, kind.id());
      s.setObject(5, testLoss);
      s.setObject(6, testTop1);
      s.setObject(7, testTop5);
      s.setBytes(8, modelZip);
      s.setString(9, modelSha);
      s.setObject(10, modelZip == null ? null : (long) modelZip.length);
      s.setBytes(11, stateZip);
      s.setString(12, Sha256.hex(stateZip));
      s.setLong(13, imagesInEpoch);
      s.setString(14, "{\"0\": " + nextOffset + "}");
      s.setString(15, epochProgressJson);
      s.setObject(16, epochBatchesDigest, java.sql.Types.BIGINT);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
