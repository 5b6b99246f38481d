package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The servable checkpoints in PostgreSQL (kind {@code epoch}: evaluated, with a SavedModel), and
 * the fleet-wide pin. The schema is the trainer's; this service only adds and removes the pin.
 *
 * <p>Plain SQL, and no Hibernate in this service: it reads a handful of columns of the trainer's
 * tables, which it neither owns nor migrates (entities here would be a second mapping of them to
 * keep in step with the trainer's), one of them a SavedModel zip of tens of megabytes read once per
 * load; and the pin is a one-row upsert ({@code on conflict (singleton)}).
 */
@ApplicationScoped
public class CheckpointCatalog {

  private static final String VERSION =
      """
      select c.id, c.run_id, c.epoch, c.step, c.model_sha256, c.weights_sha256, c.test_top1,
             c.test_top5,
             r.resize, c.created_at
      from checkpoint c join training_run r on r.id = c.run_id
      where c.kind = 'epoch'
      """;

  private final DataSource dataSource;

  CheckpointCatalog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The servable checkpoints in the policy's order of preference, best first. */
  public List<ModelVersion> candidates(Policy policy, int limit) throws SQLException {
    String order =
        switch (policy) {
          case LATEST -> " order by c.created_at desc, c.id desc";
          case BEST -> " order by c.test_top1 desc nulls last, c.created_at desc, c.id desc";
        };
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(VERSION + order + " limit ?")) {
      statement.setInt(1, limit);
      return versions(statement);
    }
  }

  public Optional<ModelVersion> find(long checkpointId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(VERSION + " and c.id = ?")) {
      statement.setLong(1, checkpointId);
      return versions(statement).stream().findFirst();
    }
  }

  /**
   * The classes the checkpoint's own evaluation never predicted (the trainer's {@code
   * epoch_class_metric} for its run and epoch), in class order; empty when it predicted every class
   * or was recorded without class figures.
   */
  public List<String> neverPredictedClasses(long checkpointId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select e.class_name from checkpoint c join epoch_class_metric e"
                    + " on e.run_id = c.run_id and e.epoch = c.epoch"
                    + " where c.id = ? and e.predicted = 0 order by e.class_index")) {
      statement.setLong(1, checkpointId);
      List<String> classes = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          classes.add(rows.getString(1));
        }
      }
      return classes;
    }
  }

  /** The SavedModel zip of a servable checkpoint (empty if it was deleted meanwhile). */
  public Optional<byte[]> modelZip(long checkpointId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select model_zip from checkpoint where id = ? and kind = 'epoch'")) {
      statement.setLong(1, checkpointId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
      }
    }
  }

  public Optional<Long> pinned() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select checkpoint_id from serving_pin");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
    }
  }

  public void pin(long checkpointId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                """
                insert into serving_pin (checkpoint_id) values (?)
                on conflict (singleton)
                do update set checkpoint_id = excluded.checkpoint_id, pinned_at = now()
                """)) {
      statement.setLong(1, checkpointId);
      statement.executeUpdate();
    }
  }

  public void unpin() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("delete from serving_pin")) {
      statement.executeUpdate();
    }
  }

  private static List<ModelVersion> versions(PreparedStatement statement) throws SQLException {
    List<ModelVersion> versions = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        versions.add(
            new ModelVersion(
                rows.getLong("id"),
                rows.getString("run_id"),
                rows.getInt("epoch"),
                rows.getLong("step"),
                rows.getString("model_sha256"),
                rows.getString("weights_sha256"),
                rows.getObject("test_top1", Double.class),
                rows.getObject("test_top5", Double.class),
                rows.getInt("resize"),
                rows.getTimestamp("created_at").toInstant()));
      }
    }
    return versions;
  }
}
