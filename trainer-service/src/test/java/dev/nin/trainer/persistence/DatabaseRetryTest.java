package dev.nin.trainer.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseRetryTest {

  private final AtomicInteger retries = new AtomicInteger();
  private final DatabaseRetry retry =
      new DatabaseRetry(Duration.ofSeconds(5), Duration.ofMillis(1), retries::incrementAndGet);

  @Test
  void aWriteIsRepeatedWhileTheDatabaseIsUnreachable() throws Exception {
    var attempts = new AtomicInteger();
    String result =
        retry.call(
            "writing",
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException(
                    "could not write", new SQLException("Connection refused", "08001"));
              }
              return "written";
            });
    assertThat(result).isEqualTo("written");
    assertThat(attempts).hasValue(3);
    assertThat(retries).as("each repeated attempt is counted").hasValue(2);
  }

  @Test
  void aServerShuttingDownCountsAsUnreachable() {
    assertThat(DatabaseRetry.isConnectionFailure(new SQLException("terminating", "57P01")))
        .isTrue();
    assertThat(
            DatabaseRetry.isConnectionFailure(
                new RuntimeException(new java.net.ConnectException())))
        .isTrue();
  }

  @Test
  void hibernatesWrappingOfALostConnectionCountsAsUnreachable() {
    // how the Panache repositories' statements fail when PostgreSQL goes away
    assertThat(
            DatabaseRetry.isConnectionFailure(
                new org.hibernate.exception.JDBCConnectionException(
                    "could not prepare statement",
                    new SQLException("Connection refused", "08001"))))
        .isTrue();
    assertThat(
            DatabaseRetry.isConnectionFailure(
                new org.hibernate.exception.ConstraintViolationException(
                    "could not execute statement",
                    new SQLException("duplicate key value", "23505"),
                    "training_run_pkey")))
        .isFalse();
  }

  @Test
  void aBadStatementOrConstraintViolationFailsAtOnce() {
    var attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.run(
                    "writing",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException(
                          new SQLException("duplicate key value", "23505"));
                    }))
        .hasRootCauseMessage("duplicate key value");
    assertThat(attempts).hasValue(1);
    assertThat(retries).hasValue(0);
  }

  @Test
  void itGivesUpAfterItsPatience() {
    var patient = new DatabaseRetry(Duration.ofMillis(50), Duration.ofMillis(10));
    assertThatThrownBy(
            () ->
                patient.run(
                    "writing",
                    () -> {
                      throw new IllegalStateException(new SQLException("down", "08006"));
                    }))
        .hasRootCauseMessage("down");
  }
}
