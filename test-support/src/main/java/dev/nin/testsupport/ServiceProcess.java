package dev.nin.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A packaged service ({@code target/quarkus-app}, built by {@code mvn verify} before the ITs) in a
 * JVM of its own, on a free port, against the test's real infrastructure: so that a test can kill
 * it with SIGKILL, or talk to several services as users do.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts {@code jar} with the infrastructure's addresses plus {@code env}. */
  public static ServiceProcess start(
      Path jar, String name, Infrastructure infra, Map<String, String> env) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the ITs through mvn verify");
    }
    int port = FreePorts.onLoopback(1)[0];
    Path log = Files.createTempFile(name + "-", ".log");
    var builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g",
                "-Dai.djl.offline=true",
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var environment = builder.environment();
    environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    environment.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
    environment.put("DB_URL", infra.jdbcUrl());
    environment.put("DB_USER", infra.dbUser());
    environment.put("DB_PASSWORD", infra.dbPassword());
    environment.putAll(env);
    return new ServiceProcess(builder.start(), port, log);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Waits until {@code path} (e.g. /q/health/live) answers 200; fails with the log's tail. */
  public ServiceProcess awaitUp(String path, Duration timeout) throws Exception {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).build();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("the service exited during start");
                }
                try {
                  return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200;
                } catch (IOException notYetListening) {
                  return false;
                }
              });
    } catch (RuntimeException e) {
      throw new IllegalStateException(path + " not up: " + e.getMessage() + "\n" + logTail(), e);
    }
    return this;
  }

  /** Everything the service printed so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  public String logTail() throws IOException {
    var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  public void kill() throws InterruptedException {
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
