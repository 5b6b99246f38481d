package dev.nin.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A real KRaft broker in a child JVM and a real PostgreSQL server, both on free loopback ports. */
final class LocalInfrastructure {

  private LocalInfrastructure() {}

  static Infrastructure start(List<AutoCloseable> running) {
    try {
      var broker = LocalKafkaBroker.start();
      running.add(broker);
      // zonky unpacks PostgreSQL binaries from a Maven Central jar and runs a real server.
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      running.add(postgres);
      String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
      return new Infrastructure(
          InfrastructureMode.LOCAL,
          broker.bootstrapServers(),
          jdbcUrl.substring(0, jdbcUrl.indexOf('?')),
          "postgres",
          "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("could not start local Kafka and PostgreSQL", e);
    }
  }
}
