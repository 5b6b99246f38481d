package dev.nin.testsupport;

import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;

/**
 * One Kafka broker and one PostgreSQL per test JVM, started on first use and stopped when the JVM
 * exits: Quarkus may restart the application between test classes, the infrastructure stays.
 */
public final class SharedInfrastructure {

  private static Infrastructure current;
  private static final List<AutoCloseable> RUNNING = new ArrayList<>();

  private SharedInfrastructure() {}

  public static synchronized Infrastructure get() {
    if (current == null) {
      var mode = InfrastructureMode.detect(System.getenv(), SharedInfrastructure::dockerAvailable);
      long started = System.nanoTime();
      current =
          switch (mode) {
            case EXTERNAL -> external();
            case TESTCONTAINERS -> ContainerInfrastructure.start(RUNNING);
            case LOCAL -> LocalInfrastructure.start(RUNNING);
          };
      Runtime.getRuntime()
          .addShutdownHook(new Thread(SharedInfrastructure::stopAll, "nin-infra-stop"));
      // Printed on purpose: the build log shows which mode every test run used.
      System.out.printf(
          "[nin-test-infrastructure] %s (ready in %d ms)%n",
          current, (System.nanoTime() - started) / 1_000_000);
    }
    return current;
  }

  private static Infrastructure external() {
    var env = System.getenv();
    return new Infrastructure(
        InfrastructureMode.EXTERNAL,
        env.get("KAFKA_BOOTSTRAP_SERVERS"),
        env.get("DB_URL"),
        env.getOrDefault("DB_USER", "nin"),
        env.getOrDefault("DB_PASSWORD", ""));
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static synchronized void stopAll() {
    for (int i = RUNNING.size() - 1; i >= 0; i--) {
      try {
        RUNNING.get(i).close();
      } catch (Exception e) {
        System.err.println("[nin-test-infrastructure] stop failed: " + e);
      }
    }
    RUNNING.clear();
  }
}
