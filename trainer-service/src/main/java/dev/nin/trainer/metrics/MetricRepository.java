package dev.nin.trainer.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

/**
 * {@code run_metric} and {@code epoch_class_metric}: one row per (run, scope, split, epoch, step),
 * and per (run, epoch, class), rewritten on a resume. Reads go through Panache; the two writes are
 * SQL upserts, each with its reason beside it.
 */
@ApplicationScoped
public class MetricRepository {

  /**
   * A metric point. {@code scope} is step or epoch; {@code split} is train or test; {@code
   * seconds}, on epoch points only: the epoch's training time (train) or its evaluation's (test).
   */
  public record Metric(
      String scope,
      String split,
      int epoch,
      long step,
      Double loss,
      Double top1,
      Double top5,
      Long images,
      Double imagesPerSecond,
      Double learningRate,
      Double seconds,
      OffsetDateTime recordedAt) {}

  private final RunMetrics metrics;
  private final EpochClassMetrics classes;

  MetricRepository(RunMetrics metrics, EpochClassMetrics classes) {
    this.metrics = metrics;
    this.classes = classes;
  }

  /** A step metric on its own (an epoch's metrics go with its checkpoint, see below). */
  @Transactional
  public void insert(UUID runId, Metric m) {
    // the transaction's own JDBC connection, for the one upsert statement both writers share
    metrics.getEntityManager().unwrap(Session.class).doWork(c -> insert(c, runId, m));
  }

  /**
   * Within the caller's JDBC transaction (the epoch checkpoint's). SQL, not an entity: a resumed
   * run replays steps and an epoch redone after a crash rewrites its figures, so the write is an
   * upsert on the natural key (run, scope, split, epoch, step), one statement; the row's {@code id}
   * is a bigserial the writer never knows, so {@code merge} could not find the row, and Hibernate's
   * own upsert is SQL MERGE, which PostgreSQL 14 (the tests' server) lacks.
   */
  public void insert(Connection c, UUID runId, Metric m) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT_METRIC)) {
      s.setObject(1, runId);
      s.setString(2, m.scope());
      s.setString(3, m.split());
      s.setInt(4, m.epoch());
      s.setLong(5, m.step());
      setDouble(s, 6, m.loss());
      setDouble(s, 7, m.top1());
      setDouble(s, 8, m.top5());
      if (m.images() == null) {
        s.setNull(9, Types.BIGINT);
      } else {
        s.setLong(9, m.images());
      }
      setDouble(s, 10, m.imagesPerSecond());
      setDouble(s, 11, m.learningRate());
      setDouble(s, 12, m.seconds());
      s.executeUpdate();
    }
  }

  private static final String UPSERT_METRIC =
      "insert into run_metric (run_id, scope, split, epoch, step, loss, top1, top5, images,"
          + " images_per_s, learning_rate, seconds) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?) on conflict (run_id, scope, split, epoch, step) do update set"
          + " loss = excluded.loss, top1 = excluded.top1, top5 = excluded.top5,"
          + " images = excluded.images, images_per_s = excluded.images_per_s,"
          + " learning_rate = excluded.learning_rate, seconds = excluded.seconds,"
          + " recorded_at = now()";

  /**
   * An epoch's evaluation class by class, within the caller's JDBC transaction; a redo rewrites it.
   * SQL for the same reason as the metric upsert above, and because {@code predicted_as} is bound
   * as a {@code bigint[]} made by the connection itself, in one JDBC batch.
   */
  public void insertClasses(Connection c, UUID runId, List<ClassMetric> classes)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into epoch_class_metric (run_id, epoch, class_index, class_name, images, hits,"
                + " predicted, predicted_as) values (?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (run_id, epoch, class_index) do update set"
                + " class_name = excluded.class_name, images = excluded.images,"
                + " hits = excluded.hits, predicted = excluded.predicted,"
                + " predicted_as = excluded.predicted_as")) {
      for (ClassMetric m : classes) {
        s.setObject(1, runId);
        s.setInt(2, m.epoch());
        s.setInt(3, m.classIndex());
        s.setString(4, m.className());
        s.setLong(5, m.images());
        s.setLong(6, m.hits());
        s.setLong(7, m.predicted());
        if (m.predictedAs() == null) {
          s.setNull(8, Types.ARRAY);
        } else {
          s.setArray(8, c.createArrayOf("bigint", m.predictedAs().toArray(Long[]::new)));
        }
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** The classes of a run's newest evaluated epoch, in class order (empty before the first). */
  @Transactional
  public List<ClassMetric> latestClasses(UUID runId) {
    return classes.find("#" + EpochClassMetricEntity.NEWEST_EPOCH, runId).stream()
        .map(EpochClassMetricEntity::toClassMetric)
        .toList();
  }

  /** Every evaluated epoch of a run, class by class. */
  @Transactional
  public List<ClassMetric> classes(UUID runId) {
    return classes.find("#" + EpochClassMetricEntity.OF_RUN, runId).stream()
        .map(EpochClassMetricEntity::toClassMetric)
        .toList();
  }

  /** The newest step metric and the newest test evaluation of a run (either may be missing). */
  @Transactional
  public List<Metric> latest(UUID runId) {
    var latest = new ArrayList<Metric>(2);
    metrics
        .find("#" + RunMetricEntity.NEWEST_STEP, runId)
        .firstResultOptional()
        .ifPresent(m -> latest.add(m.toMetric()));
    metrics
        .find("#" + RunMetricEntity.NEWEST_TEST, runId)
        .firstResultOptional()
        .ifPresent(m -> latest.add(m.toMetric()));
    return latest;
  }

  /** A run's metrics in step order, epoch points after the step points of the same step. */
  @Transactional
  public List<Metric> list(UUID runId, String scope) {
    var query =
        scope == null
            ? metrics.find("#" + RunMetricEntity.OF_RUN, runId)
            : metrics.find("#" + RunMetricEntity.OF_RUN_IN_SCOPE, runId, scope);
    return query.stream().map(RunMetricEntity::toMetric).toList();
  }

  /** A run's test top-1 of each evaluated epoch, in epoch order. */
  @Transactional
  public List<Double> testTop1ByEpoch(UUID runId) {
    return metrics
        .getEntityManager()
        .createNamedQuery(RunMetricEntity.TEST_TOP1_BY_EPOCH, Double.class)
        .setParameter(1, runId)
        .getResultList();
  }

  /** The best evaluated test top-1 of each run that has one, for lists that rank runs. */
  @Transactional
  public Map<UUID, Double> bestTestTop1(Collection<UUID> runIds) {
    var best = new HashMap<UUID, Double>();
    if (runIds.isEmpty()) {
      return best;
    }
    metrics
        .getEntityManager()
        .createNamedQuery(RunMetricEntity.BEST_TEST_TOP1, Object[].class)
        .setParameter(1, runIds)
        .getResultList()
        .forEach(row -> best.put((UUID) row[0], (Double) row[1]));
    return best;
  }

  /**
   * For each run, the classes its newest evaluation never predicted (a dead class, flagged in
   * lists), in class order; runs without one are missing from the map.
   */
  @Transactional
  public Map<UUID, List<String>> neverPredicted(Collection<UUID> runIds) {
    var dead = new HashMap<UUID, List<String>>();
    if (runIds.isEmpty()) {
      return dead;
    }
    classes
        .getEntityManager()
        .createNamedQuery(EpochClassMetricEntity.NEVER_PREDICTED, Object[].class)
        .setParameter(1, runIds)
        .getResultList()
        .forEach(
            row ->
                dead.computeIfAbsent((UUID) row[0], id -> new ArrayList<>()).add((String) row[1]));
    return dead;
  }

  private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
    if (value == null || value.isNaN() || value.isInfinite()) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }
}
