package dev.nin.trainer.metrics;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** {@code run_metric}: one row per (run, scope, split, epoch, step), rewritten on a resume. */
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

  private final AgroalDataSource dataSource;

  MetricRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void insert(UUID runId, Metric m) {
    try (Connection c = dataSource.getConnection()) {
      insert(c, runId, m);
    } catch (SQLException e) {
      throw new IllegalStateException("could not write a metric of run " + runId, e);
    }
  }

  /** Within the caller's transaction. */
  public void insert(Connection c, UUID runId, Metric m) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into run_metric (run_id, scope, split, epoch, step, loss, top1, top5, images,"
                + " images_per_s, learning_rate, seconds) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?) on conflict (run_id, scope, split, epoch, step) do update set"
                + " loss = excluded.loss, top1 = excluded.top1, top5 = excluded.top5,"
                + " images = excluded.images, images_per_s = excluded.images_per_s,"
                + " learning_rate = excluded.learning_rate, seconds = excluded.seconds,"
                + " recorded_at = now()")) {
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

  /** An epoch's evaluation class by class, within the caller's transaction; a redo rewrites it. */
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
  public List<ClassMetric> latestClasses(UUID runId) {
    return classes(
        "select epoch, class_index, class_name, images, hits, predicted, predicted_as"
            + " from epoch_class_metric"
            + " where run_id = ? and epoch = (select max(epoch) from epoch_class_metric where"
            + " run_id = ?) order by class_index",
        runId,
        runId);
  }

  /** Every evaluated epoch of a run, class by class. */
  public List<ClassMetric> classes(UUID runId) {
    return classes(
        "select epoch, class_index, class_name, images, hits, predicted, predicted_as"
            + " from epoch_class_metric"
            + " where run_id = ? order by epoch, class_index",
        runId);
  }

  private List<ClassMetric> classes(String sql, UUID... parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      var rows = new ArrayList<ClassMetric>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new ClassMetric(
                  rs.getInt(1),
                  rs.getInt(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  longs(rs.getArray(7))));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read the class metrics of run " + parameters[0], e);
    }
  }

  /** The newest step metric and the newest test evaluation of a run (either may be missing). */
  public List<Metric> latest(UUID runId) {
    return read(
        "(select "
            + METRIC_COLUMNS
            + " from run_metric where run_id = ? and scope = 'step'"
            + " order by step desc limit 1) union all (select "
            + METRIC_COLUMNS
            + " from run_metric where run_id = ? and scope = 'epoch' and split = 'test'"
            + " order by epoch desc limit 1)",
        runId,
        runId);
  }

  public List<Metric> list(UUID runId, String scope) {
    String sql =
        "select "
            + METRIC_COLUMNS
            + " from run_metric where run_id = ?"
            + (scope == null ? "" : " and scope = ?")
            + " order by step, scope desc, split";
    return scope == null ? read(sql, runId) : read(sql, runId, scope);
  }

  private static final String METRIC_COLUMNS =
      "scope, split, epoch, step, loss, top1, top5, images, images_per_s, learning_rate, seconds,"
          + " recorded_at";

  private List<Metric> read(String sql, Object... parameters) {
    UUID runId = (UUID) parameters[0];
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      var metrics = new ArrayList<Metric>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          metrics.add(
              new Metric(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getLong(4),
                  (Double) rs.getObject(5),
                  (Double) rs.getObject(6),
                  (Double) rs.getObject(7),
                  (Long) rs.getObject(8),
                  (Double) rs.getObject(9),
                  (Double) rs.getObject(10),
                  (Double) rs.getObject(11),
                  rs.getObject(12, OffsetDateTime.class)));
        }
      }
      return metrics;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the metrics of run " + runId, e);
    }
  }

  private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
    if (value == null || value.isNaN() || value.isInfinite()) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }

  /** A bigint[] column as a list (null stays null; V12's check keeps null elements out). */
  private static List<Long> longs(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    try {
      return Arrays.stream((Object[]) array.getArray())
          .map(value -> ((Number) value).longValue())
          .toList();
    } finally {
      array.free();
    }
  }
}
