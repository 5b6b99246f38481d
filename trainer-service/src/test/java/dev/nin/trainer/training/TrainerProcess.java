package dev.nin.trainer.training;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The packaged trainer-service as a separate JVM, fast to claim a run a killed one left. */
final class TrainerProcess {

  static final String TOKEN = "crash-test-token";

  private TrainerProcess() {}

  static ServiceProcess start(Infrastructure infra, String name) throws IOException {
    return ServiceProcess.start(
        Path.of("target", "quarkus-app", "quarkus-run.jar"),
        "trainer-" + name,
        infra,
        Map.of(
            "NIN_API_TOKEN", TOKEN,
            "NIN_TRAINER_INSTANCE_ID", name,
            "NIN_TRAINER_POLL_INTERVAL", "PT0.2S",
            "NIN_TRAINER_HEARTBEAT_INTERVAL", "PT1S",
            "NIN_TRAINER_STALE_AFTER", "PT3S",
            "NIN_TRAINER_DEVICE", "cpu"));
  }

  /** Waits until the trainer answers ready (its schema migrated, its worker polling). */
  static void awaitUp(ServiceProcess trainer) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> given().baseUri(trainer.baseUrl()).get("/q/health/ready").statusCode() == 200);
  }
}
