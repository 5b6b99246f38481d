package dev.nin.system.chaos;

import dev.nin.system.chaos.ImageAccounting.Applied;
import dev.nin.tools.bench.Targets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the database recorded of the chaos runs: the trainer's own account (runs, attempts, epoch
 * metrics and checkpoints), read with the owner's credentials from {@link Targets} ({@code DB_URL},
 * {@code DB_USER}, {@code DB_PASSWORD}; chaos.sh exports the local stack's).
 */
final class ChaosDatabase implements AutoCloseable {

  /** Where an attempt started: the checkpoint it restored (kind "-" for none) and its position. */
  record AttemptStart(int attempt, String kind, int epoch, long startStep, long startOffset) {

    boolean fromItsCheckpoint() {
      return !kind.equals("-") && startStep > 0 && startStep == startOffset;
    }

    String checkpoint() {
      return kind + " " + epoch;
    }
  }

  private final Connection connection;

  private ChaosDatabase(Connection connection) {
    this.connection = connection;
  }

  static ChaosDatabase fromEnvironment() throws SQLException {
    var targets = Targets.fromEnvironment();
    return new ChaosDatabase(
        DriverManager.getConnection(targets.jdbcUrl(), targets.dbUser(), targets.dbPassword()));
  }

  String status(UUID run) throws SQLException {
    return one("select status from training_run where id = ?", run, rs -> rs.getString(1));
  }

  int attempts(UUID run) throws SQLException {
    return one("select attempts from training_run where id = ?", run, rs -> rs.getInt(1));
  }

  /** The test top-1 of the run's last epoch evaluation. */
  double testTop1(UUID run) throws SQLException {
    return one(
        "select top1 from run_metric where run_id = ? and scope = 'epoch' and split = 'test'"
            + " order by epoch desc limit 1",
        run,
        rs -> rs.getDouble(1));
  }

  /** Per epoch with a checkpoint: the digest of the batches it applied and its train images. */
  Map<Integer, Applied> applied(UUID run) throws SQLException {
    var applied = new TreeMap<Integer, Applied>();
    for (var row :
        all(
            "select c.epoch, c.epoch_batches_digest, coalesce(m.images, 0) from checkpoint c"
                + " left join run_metric m on m.run_id = c.run_id and m.scope = 'epoch'"
                + " and m.split = 'train' and m.epoch = c.epoch"
                + " where c.run_id = ? and c.kind = 'epoch'",
            run,
            rs -> {
              long digest = rs.getLong(2);
              return Map.entry(
                  rs.getInt(1), new Applied(rs.wasNull() ? null : digest, rs.getLong(3)));
            })) {
      applied.put(row.getKey(), row.getValue());
    }
    return applied;
  }

  List<AttemptStart> attemptStarts(UUID run) throws SQLException {
    return all(
        "select a.attempt, coalesce(c.kind, '-'), coalesce(c.epoch, -1), a.start_step,"
            + " a.start_offset from run_attempt a"
            + " left join checkpoint c on c.id = a.resumed_from_checkpoint"
            + " where a.run_id = ? order by a.attempt",
        run,
        rs ->
            new AttemptStart(
                rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
  }

  /** The SHA-256 of each epoch checkpoint's weights in epoch order ("none" where not recorded). */
  List<String> epochWeights(UUID run) throws SQLException {
    return all(
        "select coalesce(weights_sha256, 'none') from checkpoint"
            + " where run_id = ? and kind = 'epoch' order by epoch",
        run,
        rs -> rs.getString(1));
  }

  /** When each epoch checkpoint was committed, in epoch order. */
  List<Instant> epochCheckpointTimes(UUID run) throws SQLException {
    return all(
        "select created_at from checkpoint where run_id = ? and kind = 'epoch' order by epoch",
        run,
        rs -> rs.getTimestamp(1).toInstant());
  }

  long stepMetricRows(UUID run) throws SQLException {
    return one(
        "select count(*) from run_metric where run_id = ? and scope = 'step'",
        run,
        rs -> rs.getLong(1));
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T one(String sql, UUID run, Row<T> row) throws SQLException {
    var rows = all(sql, run, row);
    if (rows.isEmpty()) {
      throw new IllegalStateException("no row for run " + run + ": " + sql);
    }
    return rows.get(0);
  }

  private <T> List<T> all(String sql, UUID run, Row<T> row) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, run);
      try (ResultSet rs = statement.executeQuery()) {
        var rows = new ArrayList<T>();
        while (rs.next()) {
          rows.add(row.read(rs));
        }
        return rows;
      }
    }
  }
}
