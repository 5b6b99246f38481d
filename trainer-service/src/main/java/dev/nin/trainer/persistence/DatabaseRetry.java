package dev.nin.trainer.persistence;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a database write again while PostgreSQL is unreachable (restarting, failing over), so that a
 * training run rides out an outage instead of failing: its metric rows and checkpoints are written
 * late, not lost. Only connection-level failures are retried; a constraint violation or a bad
 * statement fails at once.
 */
public final class DatabaseRetry {

  private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);

  private final Duration patience;
  private final Duration firstPause;
  private final Runnable onRetry;

  public DatabaseRetry(Duration patience, Duration firstPause) {
    this(patience, firstPause, () -> {});
  }

  /** As the other constructor; {@code onRetry} runs before each repeated attempt (a metric). */
  public DatabaseRetry(Duration patience, Duration firstPause, Runnable onRetry) {
    this.patience = patience;
    this.firstPause = firstPause;
    this.onRetry = onRetry;
  }

  public <T> T call(String what, Supplier<T> write) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    long pause = firstPause.toMillis();
    int attempt = 1;
    while (true) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!isConnectionFailure(e) || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.warnf(
            "database unreachable while %s (attempt %d), retrying in %d ms: %s",
            what, attempt, pause, rootMessage(e));
        onRetry.run();
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 5_000);
        attempt++;
      }
    }
  }

  public void run(String what, Runnable write) throws InterruptedException {
    call(
        what,
        () -> {
          write.run();
          return null;
        });
  }

  /**
   * SQLSTATE class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot
   * connect now), 53300 (too many connections), or a pool that could not connect at all.
   */
  static boolean isConnectionFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state == null
            || state.startsWith("08")
            || state.startsWith("57P")
            || state.equals("53300")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
