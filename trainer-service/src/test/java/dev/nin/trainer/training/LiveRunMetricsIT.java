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
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A run as Prometheus sees it, scraped from {@code /q/metrics} while it trains: its step gauge
 * climbs, its ETA and throughput are there, the consumer lag of its train topic falls to 0 once
 * every published batch is trained on, and when the run ends its series go (one set of series per
 * run in progress, not per run ever).
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
@QuarkusTestResource(RealInfrastructureResource.class)
class LiveRunMetricsIT {

  @Inject PipelineKafka kafka;
  @Inject AgroalDataSource dataSource;

  @Test
  void aTrainingRunsGaugesMoveWhileItTrainsAndGoWhenItEnds() throws Exception {
    Runs.cancelEveryOtherRun(dataSource);
    try (var ingest = new IngestStandIn(kafka)) {
      // one epoch of 80 steps
      String id =
          Runs.post(
              null,
              "test-token",
              """
                  {"name": "metrics-it", "resize": 67, "epochs": 1, "batchSize": 50,
                   "trainLimit": 4000, "testLimit": 1000, "logEvery": 100000, "seed": 4}
                  """);
      String run = "{run=\"" + id + "\"}";

      List<Double> steps = new ArrayList<>();
      List<Double> lags = new ArrayList<>();
      boolean[] etaSeen = {false};
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                String scrape =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
                value(scrape, "nin_trainer_run_step" + run).ifPresent(steps::add);
                value(scrape, "nin_trainer_run_consumer_lag" + run).ifPresent(lags::add);
                etaSeen[0] |=
                    value(scrape, "nin_trainer_run_eta_seconds" + run).orElse(0) > 0
                        && value(scrape, "nin_trainer_run_images_per_second" + run).orElse(0) > 0;
                assertThat(scrape).contains("nin_trainer_runs_queued");
                return !steps.isEmpty() && steps.get(steps.size() - 1) == 80 && lags.contains(0.0);
              });

      assertThat(steps.stream().distinct().count())
          .as("the step gauge seen at several values while the run trained: %s", steps)
          .isGreaterThanOrEqualTo(3);
      assertThat(steps).isSorted();
      assertThat(lags).as("lag while trained and when caught up: %s", lags).contains(0.0);
      assertThat(lags.stream().mapToDouble(Double::doubleValue).max().orElse(0))
          .as("batches waiting for the trainer at some point")
          .isPositive();
      assertThat(etaSeen[0]).as("an ETA and a throughput while it trained").isTrue();

      Runs.awaitSucceeded(null, id, 3);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(given().get("/q/metrics").then().extract().asString())
                      .as("the ended run's series are gone")
                      .doesNotContain(id)
                      .contains("nin_trainer_checkpoint_write_seconds_count{kind=\"epoch\"}"));
    }
  }

  private static OptionalDouble value(String scrape, String series) {
    return dev.nin.testsupport.PrometheusText.value(scrape, series);
  }
}
