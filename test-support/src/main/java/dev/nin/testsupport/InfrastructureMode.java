package dev.nin.testsupport;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** Where the real Kafka and PostgreSQL for a test run come from, in order of preference. */
public enum InfrastructureMode {
  /** Services named by KAFKA_BOOTSTRAP_SERVERS and DB_URL (DB_USER, DB_PASSWORD). */
  EXTERNAL,
  /** Containers started through a Docker engine. */
  TESTCONTAINERS,
  /** A KRaft broker in a child JVM and an embedded PostgreSQL, on free loopback ports. */
  LOCAL;

  /**
   * Picks the mode: external services when the environment names both, else Docker when an engine
   * answers, else local processes. {@code NIN_TEST_INFRA=local|testcontainers|external} forces one.
   */
  static InfrastructureMode detect(Map<String, String> env, BooleanSupplier dockerAvailable) {
    String forced = env.get("NIN_TEST_INFRA");
    if (forced != null && !forced.isBlank()) {
      return valueOf(forced.trim().toUpperCase(java.util.Locale.ROOT));
    }
    if (isSet(env, "KAFKA_BOOTSTRAP_SERVERS") && isSet(env, "DB_URL")) {
      return EXTERNAL;
    }
    return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : LOCAL;
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }
}
