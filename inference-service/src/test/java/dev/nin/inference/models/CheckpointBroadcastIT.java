package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.inference.Checkpoints;
import dev.nin.testsupport.MigratedInfrastructureResource;
import dev.nin.testsupport.ServiceProcess;
import dev.nin.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two inference replicas (this test's application and a second one from the packaged jar, both
 * polling the catalogue only once an hour) each see every checkpoint event: a checkpoint inserted
 * after both started and then announced is served by both. Had the channel joined a consumer group,
 * the topic's single partition would go to one replica and the other would never hear of it.
 */
@QuarkusTest
@QuarkusTestResource(MigratedInfrastructureResource.class)
class CheckpointBroadcastIT {

  private static final int RESIZE = 67;

  @Test
  void everyReplicaSeesEveryCheckpointEvent() throws Exception {
    // something to serve at start, so that the second replica's readiness means it is running
    long before = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.9);
    announceUntilServedBy(before, here());
    try (var second =
        ServiceProcess.start(
                Path.of("target", "quarkus-app", "quarkus-run.jar"),
                "inference-replica",
                SharedInfrastructure.get(),
                Map.of("NIN_INFERENCE_POLL_INTERVAL", "PT1H", "NIN_API_TOKEN", "test-token"))
            .awaitUp("/q/health/ready", Duration.ofSeconds(120))) {
      assertThat(activeCheckpoint(second.baseUrl())).isGreaterThanOrEqualTo(before);

      // inserted after both read the catalogue: only an event can bring it to either
      long announced = Checkpoints.insert(Checkpoints.untrainedModelZip(8, RESIZE), RESIZE, 0.95);
      announceUntilServedBy(announced, here(), second.baseUrl());
    }
  }

  /**
   * Announces {@code checkpoint} again until every replica serves it: an event sent before a
   * replica's consumer has taken its place at the end of the topic is behind it (each event only
   * says "decide again").
   */
  private static void announceUntilServedBy(long checkpoint, String... replicas) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              Checkpoints.announce(checkpoint);
              for (String replica : replicas) {
                assertThat(activeCheckpoint(replica)).as(replica).isEqualTo(checkpoint);
              }
            });
  }

  private static String here() {
    return RestAssured.baseURI + ":" + RestAssured.port;
  }

  private static long activeCheckpoint(String baseUrl) {
    Number id =
        RestAssured.given()
            .baseUri(baseUrl)
            .get("/api/model")
            .then()
            .statusCode(200)
            .extract()
            .path("active.checkpointId");
    return id == null ? -1 : id.longValue();
  }
}
