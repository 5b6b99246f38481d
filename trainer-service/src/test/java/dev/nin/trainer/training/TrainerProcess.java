package dev.nin.trainer.training;

import dev.nin.testsupport.Infrastructure;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The packaged trainer-service ({@code target/quarkus-app}, built by {@code mvn verify} before the
 * ITs) as a separate JVM, so a test can kill it with SIGKILL as an operator's mistake or the kernel
 * would.
 */
final class TrainerProcess implements AutoCloseable {

  static final String TOKEN = "crash-test-token";

  private final Process process;
  private final int port;
  private final Path log;

  private TrainerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static TrainerProcess start(Infrastructure infra, String name) throws IOException {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the ITs through mvn verify");
    }
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("trainer-" + name + "-", ".log");
    var builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g",
                "-Dai.djl.offline=true",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
    env.put("DB_URL", infra.jdbcUrl());
    env.put("DB_USER", infra.dbUser());
    env.put("DB_PASSWORD", infra.dbPassword());
    env.put("NIN_API_TOKEN", TOKEN);
    env.put("NIN_TRAINER_INSTANCE_ID", name);
    env.put("NIN_TRAINER_POLL_INTERVAL", "PT0.2S");
    env.put("NIN_TRAINER_HEARTBEAT_INTERVAL", "PT1S");
    env.put("NIN_TRAINER_STALE_AFTER", "PT3S");
    env.put("NIN_TRAINER_DEVICE", "cpu");
    return new TrainerProcess(builder.start(), port, log);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String logTail() throws IOException {
    var lines = Files.readAllLines(log);
    return String.join(
        File.separator.equals("/") ? "\n" : "\r\n",
        lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
