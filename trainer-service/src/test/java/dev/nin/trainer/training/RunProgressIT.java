package dev.nin.trainer.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.RealInfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Progress and ETA follow the clock: a run that writes a step metric only every 100,000 steps still
 * shows where it is while it trains (the defect: progress 0 and no ETA until the end).
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
@QuarkusTestResource(RealInfrastructureResource.class)
class RunProgressIT {

  @Inject PipelineKafka kafka;
  @Inject AgroalDataSource dataSource;

  @Test
  void aRunWithASparseLogShowsItsProgressAndEtaWhileItTrains() throws Exception {
    Runs.cancelEveryOtherRun(dataSource);
    try (var ingest = new IngestStandIn(kafka)) {
      // 2 epochs of 80 steps, each epoch far longer than the 2 s interval. Without the interval,
      // progress moves only at an epoch's end: from step 0 straight to 80.
      String id =
          Runs.post(
              null,
              "test-token",
              """
                  {"name": "progress-it", "resize": 67, "epochs": 2, "batchSize": 50,
                   "trainLimit": 4000, "testLimit": 100, "logEvery": 100000, "seed": 4}
                  """);

      JsonPath seen =
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(250))
              .until(
                  () -> given().get("/api/runs/" + id).then().extract().jsonPath(),
                  run -> {
                    assertThat(run.getString("status")).isIn("QUEUED", "RUNNING");
                    return run.getString("status").equals("RUNNING")
                        && run.getLong("step") > 0
                        && run.getLong("step") < 80;
                  });

      assertThat(seen.getDouble("progress")).isStrictlyBetween(0.0, 1.0);
      assertThat(seen.getLong("etaSeconds")).isPositive();
      assertThat(seen.getList("latestMetrics")).as("no step metric was logged").isEmpty();
    }
  }
}
