package dev.nin.trainer.runs;

import dev.nin.core.training.Optimizer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Recipe;
import dev.nin.core.training.Schedule;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@code training_run} through plain, parameterised SQL. */
@ApplicationScoped
public class RunRepository {

  private static final String COLUMNS =
      "id, name, status, learning_rate, batch_size, epochs, resize, optimizer, one_by_one_convs,"
          + " dropout, seed, train_limit, test_limit, augment, log_every, checkpoint_every_steps,"
          + " recipe, warmup_steps, schedule, label_smoothing, average_decay, precision,"
          + " current_epoch, current_step, images_per_s, params, flops_per_image, device,"
          + " claimed_by, attempts, cancel_requested, error, batches_per_epoch, images_per_epoch,"
          + " created_at, started_at, finished_at, reproduces,"
          // the best evaluated test top-1 so far, for lists that rank runs
          + " (select max(m.top1) from run_metric m where m.run_id = training_run.id"
          + " and m.scope = 'epoch' and m.split = 'test') as best_test_top1,"
          // the classes the newest evaluation never predicted: a dead class, flagged in lists
          + " array(select c.class_name from epoch_class_metric c where c.run_id ="
          + " training_run.id and c.predicted = 0 and c.epoch = (select max(e.epoch) from"
          + " epoch_class_metric e where e.run_id = training_run.id) order by c.class_index)"
          + " as never_predicted";

  private final AgroalDataSource dataSource;

  RunRepository(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Run insert(RunParameters p) {
    return insert(p, null);
  }

  /** A run with the same parameters as {@code original}, queued to reproduce it. */
  public Run insertReproduction(Run original) {
    var p = original.parameters();
    String name = (p.name() == null ? "run" : p.name()) + " (reproduction)";
    return insert(p.withName(name), original.id());
  }

  private Run insert(RunParameters p, UUID reproduces) {
    UUID id = UUID.randomUUID();
    String sql =
        "insert into training_run (id, name, learning_rate, batch_size, epochs, resize, optimizer,"
            + " one_by_one_convs, dropout, seed, train_limit, test_limit, augment, log_every,"
            + " checkpoint_every_steps, recipe, reproduces, trace_parent, warmup_steps, schedule,"
            + " label_smoothing, average_decay, precision) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " returning "
            + COLUMNS;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, id);
      s.setString(2, p.name());
      s.setDouble(3, p.learningRate());
      s.setInt(4, p.batchSize());
      s.setInt(5, p.epochs());
      s.setInt(6, p.resize());
      s.setString(7, p.optimizer().id());
      s.setInt(8, p.oneByOneConvs());
      s.setDouble(9, p.dropout());
      s.setLong(10, p.seed());
      setNullable(s, 11, p.trainLimit());
      setNullable(s, 12, p.testLimit());
      s.setBoolean(13, p.augment());
      s.setInt(14, p.logEvery());
      setNullable(s, 15, p.checkpointEverySteps());
      s.setString(16, p.recipe().id());
      s.setObject(17, reproduces);
      // the request's trace, which the run's training joins (null while tracing is off)
      s.setString(18, dev.nin.servicekit.tracing.TraceContext.currentTraceparent());
      s.setInt(19, p.warmupSteps());
      s.setString(20, p.schedule().id());
      s.setDouble(21, p.labelSmoothing());
      s.setDouble(22, p.averageDecay());
      s.setString(23, p.precision().id());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return map(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not insert the run", e);
    }
  }

  public Optional<Run> find(UUID id) {
    return query("select " + COLUMNS + " from training_run where id = ?", s -> s.setObject(1, id))
        .stream()
        .findFirst();
  }

  /** Newest first, optionally one status only. */
  public List<Run> list(RunStatus status, int limit) {
    if (status == null) {
      return query(
          "select " + COLUMNS + " from training_run order by created_at desc limit ?",
          s -> s.setInt(1, limit));
    }
    return query(
        "select "
            + COLUMNS
            + " from training_run where status = ? order by created_at desc limit ?",
        s -> {
          s.setString(1, status.name());
          s.setInt(2, limit);
        });
  }

  /**
   * Claims the oldest QUEUED run, or a RUNNING one whose trainer stopped showing life for longer
   * than {@code staleAfter} (it crashed): {@code FOR UPDATE SKIP LOCKED} lets any number of
   * trainers claim at once without ever handing one run to two of them.
   */
  public Optional<Run> claimNext(String instance, Duration staleAfter) {
    String sql =
        "update training_run set status = 'RUNNING', claimed_by = ?, heartbeat_at = now(),"
            + " started_at = coalesce(started_at, now()), attempts = attempts + 1"
            + " where id = (select id from training_run"
            + "   where (status = 'QUEUED' and not cancel_requested)"
            + "      or (status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ?))"
            + "   order by created_at for update skip locked limit 1)"
            + " returning "
            + COLUMNS;
    return query(
            sql,
            s -> {
              s.setString(1, instance);
              s.setDouble(2, staleAfter.toMillis() / 1000.0);
            })
        .stream()
        .findFirst();
  }

  /**
   * Cancels a queued run at once, or asks its trainer to stop a running one. Returns the run as it
   * is now, or empty when there is no such run.
   */
  public Optional<Run> requestCancel(UUID id) {
    String sql =
        "update training_run set"
            + " status = case when status = 'QUEUED' then 'CANCELLED' else status end,"
            + " finished_at = case when status = 'QUEUED' then now() else finished_at end,"
            + " cancel_requested = true"
            + " where id = ? and status in ('QUEUED', 'RUNNING') returning "
            + COLUMNS;
    var updated = query(sql, s -> s.setObject(1, id));
    return updated.isEmpty() ? find(id) : Optional.of(updated.get(0));
  }

  /**
   * Records the model's facts when a run starts training, and the precision its trainer computes
   * in: a run submitted with {@code auto} keeps what this start resolved it to, so that a resumed
   * attempt continues in the same arithmetic.
   */
  public void started(
      UUID id, long params, long flopsPerImage, String device, Precision precision) {
    update(
        "update training_run set params = ?, flops_per_image = ?, device = ?, precision = ?"
            + " where id = ?",
        s -> {
          s.setLong(1, params);
          s.setLong(2, flopsPerImage);
          s.setString(3, device);
          s.setString(4, precision.id());
          s.setObject(5, id);
        });
  }

  /**
   * Records where an attempt started: the checkpoint it restored (none for a fresh start), the step
   * the restored graph holds and the train-topic offset it reads from. Repeated writes of the same
   * attempt (a database retry) overwrite.
   */
  public void recordAttempt(
      UUID id, int attempt, String trainer, Long checkpointId, long startStep, long startOffset) {
    update(
        "insert into run_attempt (run_id, attempt, trainer, resumed_from_checkpoint, start_step,"
            + " start_offset) values (?, ?, ?, ?, ?, ?) on conflict (run_id, attempt) do update set"
            + " trainer = excluded.trainer, resumed_from_checkpoint ="
            + " excluded.resumed_from_checkpoint, start_step = excluded.start_step, start_offset ="
            + " excluded.start_offset",
        s -> {
          s.setObject(1, id);
          s.setInt(2, attempt);
          s.setString(3, trainer);
          s.setObject(4, checkpointId, Types.BIGINT);
          s.setLong(5, startStep);
          s.setLong(6, startOffset);
        });
  }

  /** The shape of the run's data, known from its first batch. */
  public void dataShape(UUID id, int batchesPerEpoch, int imagesPerEpoch) {
    update(
        "update training_run set batches_per_epoch = ?, images_per_epoch = ? where id = ?",
        s -> {
          s.setInt(1, batchesPerEpoch);
          s.setInt(2, imagesPerEpoch);
          s.setObject(3, id);
        });
  }

  public void progress(UUID id, int epoch, long step, double imagesPerSecond) {
    update(
        "update training_run set current_epoch = ?, current_step = ?, images_per_s = ?,"
            + " heartbeat_at = now() where id = ?",
        s -> {
          s.setInt(1, epoch);
          s.setLong(2, step);
          s.setDouble(3, imagesPerSecond);
          s.setObject(4, id);
        });
  }

  /**
   * Shows this instance is alive; returns true when the run should stop (cancelled, or claimed by
   * another instance because this one looked dead).
   */
  public boolean heartbeat(UUID id, String instance) {
    var stop = new boolean[] {true};
    query(
            "update training_run set heartbeat_at = now() where id = ? and claimed_by = ?"
                + " and status = 'RUNNING' returning "
                + COLUMNS,
            s -> {
              s.setObject(1, id);
              s.setString(2, instance);
            })
        .forEach(run -> stop[0] = run.cancelRequested());
    return stop[0];
  }

  /**
   * Hands a running run back when this instance shuts down in an orderly way (a container restart,
   * a rolling update): the run looks stale at once, so the next trainer, or this one restarted,
   * resumes it from its newest checkpoint without waiting {@code staleAfter}. Clearing {@code
   * claimed_by} also stops a heartbeat still in flight from taking the run back.
   */
  public void release(UUID id, String instance) {
    update(
        "update training_run set claimed_by = null, heartbeat_at = to_timestamp(0)"
            + " where id = ? and claimed_by = ? and status = 'RUNNING'",
        s -> {
          s.setObject(1, id);
          s.setString(2, instance);
        });
  }

  /** Ends a run; a FAILED run keeps the error users will read. */
  public void finish(UUID id, RunStatus status, String error) {
    update(
        "update training_run set status = ?, error = ?, finished_at = now() where id = ?",
        s -> {
          s.setString(1, status.name());
          s.setString(2, error);
          s.setObject(3, id);
        });
  }

  /** The trace context of the request that queued the run (null when tracing was off). */
  public java.util.Optional<String> traceParent(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select trace_parent from training_run where id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? java.util.Optional.ofNullable(rs.getString(1))
            : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading a run's trace context failed: " + e.getMessage(), e);
    }
  }

  /** Runs waiting for a trainer (not cancelled). */
  public long countQueued() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from training_run where status = 'QUEUED' and not cancel_requested");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("count of queued runs failed: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("update of training_run failed: " + e.getMessage(), e);
    }
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private List<Run> query(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        var runs = new ArrayList<Run>();
        while (rs.next()) {
          runs.add(map(rs));
        }
        return runs;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query on training_run failed: " + e.getMessage(), e);
    }
  }

  private static void setNullable(PreparedStatement s, int index, Integer value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }

  private static Run map(ResultSet rs) throws SQLException {
    var parameters =
        new RunParameters(
            rs.getString("name"),
            rs.getDouble("learning_rate"),
            rs.getInt("batch_size"),
            rs.getInt("epochs"),
            rs.getInt("resize"),
            Optimizer.parse(rs.getString("optimizer")),
            rs.getInt("one_by_one_convs"),
            rs.getDouble("dropout"),
            rs.getLong("seed"),
            (Integer) rs.getObject("train_limit"),
            (Integer) rs.getObject("test_limit"),
            rs.getBoolean("augment"),
            rs.getInt("log_every"),
            (Integer) rs.getObject("checkpoint_every_steps"),
            Recipe.parse(rs.getString("recipe")),
            rs.getInt("warmup_steps"),
            Schedule.parse(rs.getString("schedule")),
            rs.getDouble("label_smoothing"),
            rs.getDouble("average_decay"),
            Precision.parse(rs.getString("precision")));
    return new Run(
        rs.getObject("id", UUID.class),
        RunStatus.valueOf(rs.getString("status")),
        parameters,
        rs.getInt("current_epoch"),
        rs.getLong("current_step"),
        (Double) rs.getObject("images_per_s"),
        (Long) rs.getObject("params"),
        (Long) rs.getObject("flops_per_image"),
        rs.getString("device"),
        rs.getString("claimed_by"),
        rs.getInt("attempts"),
        rs.getBoolean("cancel_requested"),
        rs.getString("error"),
        (Integer) rs.getObject("batches_per_epoch"),
        (Integer) rs.getObject("images_per_epoch"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class),
        (Double) rs.getObject("best_test_top1"),
        List.of((String[]) rs.getArray("never_predicted").getArray()),
        rs.getObject("reproduces", UUID.class));
  }
}
