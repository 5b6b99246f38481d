package dev.nin.testsupport;

import java.util.Map;

/** Addresses of the real Kafka broker and PostgreSQL database a test runs against. */
public record Infrastructure(
    InfrastructureMode mode,
    String kafkaBootstrapServers,
    String jdbcUrl,
    String dbUser,
    String dbPassword) {

  /** The configuration a Quarkus application needs to use this infrastructure. */
  public Map<String, String> quarkusConfig() {
    return Map.of(
        "kafka.bootstrap.servers", kafkaBootstrapServers,
        "quarkus.datasource.jdbc.url", jdbcUrl,
        "quarkus.datasource.username", dbUser,
        "quarkus.datasource.password", dbPassword);
  }

  @Override
  public String toString() {
    // Never print the password, not even a test one.
    return "mode=" + mode + " kafka=" + kafkaBootstrapServers + " postgres=" + jdbcUrl;
  }
}
