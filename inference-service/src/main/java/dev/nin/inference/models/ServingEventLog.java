package dev.nin.inference.models;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Writes serving events to {@code serving_event}. A replica serves on while PostgreSQL is down, so
 * an event that cannot be written waits (up to {@value #MAX_PENDING}, oldest dropped first and
 * logged) and goes out with the next one that can. SQL: an append-only insert, the one write of
 * this table, re-executed for each pending event on one statement.
 */
@ApplicationScoped
public class ServingEventLog {

  private static final Logger LOG = Logger.getLogger(ServingEventLog.class);
  static final int MAX_PENDING = 1000;

  private final DataSource dataSource;
  private final String replica;
  private final Deque<ModelEvent> pending = new ArrayDeque<>();

  ServingEventLog(DataSource dataSource) {
    this.dataSource = dataSource;
    this.replica =
        System.getenv().getOrDefault("HOSTNAME", ManagementFactory.getRuntimeMXBean().getName());
  }

  synchronized void record(ModelEvent event) {
    pending.addLast(event);
    while (pending.size() > MAX_PENDING) {
      LOG.warnf("serving history: dropped an unwritten event %s", pending.removeFirst());
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into serving_event (at, replica, kind, checkpoint_id, run_id, epoch,"
                    + " millis, reason, requests, errors, agreement, p99_millis)"
                    + " values (?, ?, ?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ?)")) {
      while (!pending.isEmpty()) {
        ModelEvent e = pending.peekFirst();
        s.setTimestamp(1, Timestamp.from(e.at()));
        s.setString(2, replica);
        s.setString(3, e.kind().name());
        s.setObject(4, e.checkpointId(), java.sql.Types.BIGINT);
        s.setString(5, e.runId() == null ? null : UUID.fromString(e.runId()).toString());
        s.setObject(6, e.epoch(), java.sql.Types.INTEGER);
        s.setObject(7, e.millis(), java.sql.Types.BIGINT);
        s.setString(8, e.detail());
        var figures = e.figures();
        s.setObject(9, figures == null ? null : figures.requests(), java.sql.Types.BIGINT);
        s.setObject(10, figures == null ? null : figures.errors(), java.sql.Types.BIGINT);
        s.setObject(11, figures == null ? null : figures.agreement(), java.sql.Types.DOUBLE);
        s.setObject(12, figures == null ? null : figures.p99Millis(), java.sql.Types.DOUBLE);
        s.executeUpdate();
        pending.removeFirst();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warnf(
          "serving history: %d event(s) wait for the database (%s)",
          pending.size(), e.getMessage());
    }
  }
}
