package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.testsupport.ServiceProcess;
import dev.nin.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
@QuarkusTestResource(InferenceInfrastructureResource.class)
class CheckpointBroadcastIT {

  private static final int RESIZE = 67;

  @Test
  void everyReplicaSeesEveryCheckpointEvent() throws Exception {
    // something to serve at start, so that the second replica's readiness means it is running
    long before = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.9);
    Checkpoints.announceUntilServedBy(before, Checkpoints.here());
    try (var second =
        ServiceProcess.start(
                Path.of("target", "quarkus-app", "quarkus-run.jar"),
                "inference-replica",
                SharedInfrastructure.get(),
                Map.of("NIN_INFERENCE_POLL_INTERVAL", "PT1H", "NIN_API_TOKEN", "test-token"))
            .awaitUp("/q/health/ready", Duration.ofSeconds(120))) {
      assertThat(Checkpoints.activeCheckpoint(second.baseUrl())).isGreaterThanOrEqualTo(before);

      // inserted after both read the catalogue: only an event can bring it to either
      long announced = Checkpoints.insert(Checkpoints.untrainedModelZip(8, RESIZE), RESIZE, 0.95);
      Checkpoints.announceUntilServedBy(announced, Checkpoints.here(), second.baseUrl());
    }
  }
}
