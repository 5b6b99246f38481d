package dev.nin.tools.bench;

import java.net.URI;

/**
 * Where the running product is, for the benchmarks and the chaos faults: the three services, Kafka,
 * PostgreSQL, and the API token.
 */
public record Targets(
    String ingest,
    String trainer,
    String inference,
    String kafka,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String token) {

  /** The local stack's addresses, overridable by the usual environment variables. */
  public static Targets fromEnvironment() {
    return new Targets(
        env("NIN_INGEST_URL", "http://127.0.0.1:8080"),
        env("NIN_TRAINER_URL", "http://127.0.0.1:8081"),
        env("NIN_INFERENCE_URL", "http://127.0.0.1:8082"),
        env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env("DB_URL", "jdbc:postgresql://127.0.0.1:5432/nin"),
        env("DB_USER", "nin"),
        env("DB_PASSWORD", "nin"),
        env("NIN_API_TOKEN", ""));
  }

  public String grpcHost() {
    return URI.create(inference).getHost();
  }

  public int grpcPort() {
    return URI.create(inference).getPort();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
