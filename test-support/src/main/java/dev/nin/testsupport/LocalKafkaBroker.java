package dev.nin.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in a child JVM.
 *
 * <p>The broker's jars never touch the test classpath: the build writes their classpath to {@code
 * kafka-broker.classpath}. The child runs {@link #main} from this class, which formats the storage,
 * starts Kafka, and exits when its standard input closes, so a killed test JVM leaves no broker
 * behind.
 *
 * <p>{@link #startWithScram} starts it as the compose file and {@code k8s/} run Kafka: clients must
 * authenticate with SASL/SCRAM-SHA-512 and the standard authorizer allows only what an ACL grants;
 * an unauthenticated admin listener on loopback (its principal, ANONYMOUS, is the only super user)
 * is where users and ACLs are created.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  /**
   * The broker's record limit ({@code message.max.bytes} of {@code kafka-broker.properties}), which
   * matches the services' producer and consumer limits (contracts' Topics.MAX_RECORD_BYTES).
   */
  public static final int MAX_MESSAGE_BYTES =
      Integer.parseInt(commonProperties(0).getProperty("message.max.bytes"));

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final int port;
  private final int adminPort;
  private final Path dataDir;

  private LocalKafkaBroker(Process process, int port, int adminPort, Path dataDir) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.dataDir = dataDir;
  }

  /** A broker with one PLAINTEXT listener: no authentication, no authorization. */
  public static LocalKafkaBroker start() throws IOException {
    int[] ports = FreePorts.onLoopback(2);
    return start(ports[0], ports[0], serverProperties(ports[0], ports[1]));
  }

  /**
   * A broker whose client listener requires SASL/SCRAM-SHA-512 and whose authorizer refuses
   * whatever no ACL allows; {@link #adminBootstrapServers} is its unauthenticated super-user
   * listener on loopback.
   */
  public static LocalKafkaBroker startWithScram() throws IOException {
    int[] ports = FreePorts.onLoopback(3);
    return start(ports[0], ports[1], scramServerProperties(ports[0], ports[1], ports[2]));
  }

  private static LocalKafkaBroker start(int port, int adminPort, Properties properties)
      throws IOException {
    Path dataDir = Files.createTempDirectory("nin-kafka-");
    properties.setProperty("log.dirs", dataDir.resolve("logs").toString());
    Path config = dataDir.resolve("server.properties");
    try (var out = Files.newBufferedWriter(config)) {
      properties.store(out, "nin test broker");
    }
    Path log = dataDir.resolve("broker.log");
    var command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                brokerClasspath(),
                LocalKafkaBroker.class.getName(),
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process process = command.start();
    var broker = new LocalKafkaBroker(process, port, adminPort, dataDir);
    broker.awaitListening(log);
    return broker;
  }

  /** The listener clients use (with credentials if the broker was started with SCRAM). */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** A listener where no credentials are needed and everything is allowed (loopback only). */
  public String adminBootstrapServers() {
    return "127.0.0.1:" + adminPort;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // the child exits when its stdin closes
    } catch (IOException ignored) {
      // the child is gone already
    }
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteQuietly(dataDir);
  }

  static Properties serverProperties(int port, int controllerPort) {
    var p = commonProperties(controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    return p;
  }

  /**
   * Authentication and authorization as the compose file's and k8s/'s brokers have them: SCRAM
   * clients and ACLs (docs/reliability.md).
   */
  static Properties scramServerProperties(int port, int adminPort, int controllerPort) {
    var p = commonProperties(controllerPort);
    p.setProperty(
        "listeners",
        "SASL_PLAINTEXT://127.0.0.1:%d,ADMIN://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d"
            .formatted(port, adminPort, controllerPort));
    p.setProperty(
        "advertised.listeners",
        "SASL_PLAINTEXT://127.0.0.1:%d,ADMIN://127.0.0.1:%d".formatted(port, adminPort));
    p.setProperty(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,ADMIN:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("inter.broker.listener.name", "ADMIN");
    p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.setProperty(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.setProperty(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.setProperty("super.users", "User:ANONYMOUS");
    return p;
  }

  /** The settings every local broker shares, from {@code kafka-broker.properties}. */
  private static Properties commonProperties(int controllerPort) {
    var p = new Properties();
    try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("kafka-broker.properties")) {
      if (in == null) {
        throw new IllegalStateException("kafka-broker.properties is not on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    return p;
  }

  private void awaitListening(Path log) throws IOException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka broker exited during startup:\n" + tail(log));
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while Kafka started", e);
        }
      }
    }
    close();
    throw new IllegalStateException(
        "Kafka broker did not listen within " + STARTUP_TIMEOUT + ":\n" + tail(log));
  }

  private static String brokerClasspath() throws IOException {
    try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "kafka-broker.classpath is missing: build test-support with Maven first");
      }
      String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String self =
          Path.of(
                  LocalKafkaBroker.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toString();
      return self + java.io.File.pathSeparator + jars;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) {
    try {
      var lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // temp files; the OS cleans up
    }
  }

  /** Child JVM entry point: format the storage, run the broker, stop when stdin closes. */
  public static void main(String[] args) throws Exception {
    String config = args[0];
    int formatted =
        kafka.tools.StorageTool.execute(
            new String[] {
              "format",
              "-t",
              UUID.randomUUID().toString().replace("-", "").substring(0, 22),
              "-c",
              config,
              "--standalone"
            },
            System.out);
    if (formatted != 0) {
      System.err.println("storage format failed: " + formatted);
      System.exit(formatted);
    }
    var broker = new Thread(() -> kafka.Kafka.main(new String[] {config}), "kafka-main");
    broker.setDaemon(true);
    broker.start();
    while (System.in.read() != -1) {
      // wait for the parent to close our stdin (or die)
    }
    System.exit(0);
  }
}
