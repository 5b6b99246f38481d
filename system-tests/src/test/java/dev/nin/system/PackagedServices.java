package dev.nin.system;

import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The three packaged services ({@code target/quarkus-app}) started as users start them, on one real
 * Kafka and PostgreSQL: the trainer first, because it migrates the schema the others read.
 * Inference polls the catalogue every 2 s and is awaited live only (ready needs a model).
 */
record PackagedServices(ServiceProcess trainer, ServiceProcess ingest, ServiceProcess inference)
    implements AutoCloseable {

  static PackagedServices start(Infrastructure infra, String name, String token) throws Exception {
    return start(infra, name, token, Map.of());
  }

  /**
   * As {@link #start(Infrastructure, String, String)}, with {@code extra} in every service's env.
   */
  static PackagedServices start(
      Infrastructure infra, String name, String token, Map<String, String> extra) throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("NIN_API_TOKEN", token);
    env.put("NIN_TRAINER_DEVICE", "cpu");
    env.putAll(extra);
    Map<String, String> inferenceEnv = new java.util.HashMap<>();
    inferenceEnv.put("NIN_API_TOKEN", token);
    inferenceEnv.put("NIN_INFERENCE_POLL_INTERVAL", "PT2S");
    inferenceEnv.putAll(extra);
    var trainer =
        ServiceProcess.start(jar("trainer-service"), name + "-trainer", infra, env)
            .awaitUp("/q/health/ready", Duration.ofSeconds(90));
    var ingest =
        ServiceProcess.start(jar("ingest-service"), name + "-ingest", infra, env)
            .awaitUp("/q/health/ready", Duration.ofSeconds(90));
    var inference =
        ServiceProcess.start(jar("inference-service"), name + "-inference", infra, inferenceEnv)
            .awaitUp("/q/health/live", Duration.ofSeconds(90));
    return new PackagedServices(trainer, ingest, inference);
  }

  @Override
  public void close() throws InterruptedException {
    inference.close();
    ingest.close();
    trainer.close();
  }

  private static Path jar(String service) {
    return Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar");
  }
}
