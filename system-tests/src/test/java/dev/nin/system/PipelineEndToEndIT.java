package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.Topics;
import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.PrometheusText;
import dev.nin.testsupport.SharedInfrastructure;
import dev.nin.tools.chaos.TopicCensus;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as users run it, with nothing standing in: the three packaged services on real Kafka
 * and PostgreSQL. A training request goes to ingest, which publishes the run's batches; the trainer
 * trains on them and writes its checkpoints; inference loads the newest and serves it. Image counts
 * are checked against the trainer's records and, independently, against the records ingest put on
 * the run's topics; the served model is checked byte for byte against what the trainer stored.
 */
class PipelineEndToEndIT {

  private static final String TOKEN = "end-to-end-token";
  private static final int EPOCHS = 2;
  private static final int BATCH = 50;
  private static final int TRAIN_IMAGES = 1000;
  private static final int TEST_IMAGES = 500;

  private final ServiceApi api = new ServiceApi(TOKEN);
  private final Infrastructure infra = SharedInfrastructure.get();

  @Test
  void aRequestIsIngestedTrainedCheckpointedAndServed() throws Exception {
    // JSON logs, as compose and k8s run the services: every Java log line must be one JSON object
    try (var services =
        PackagedServices.start(infra, "e2e", TOKEN, java.util.Map.of("NIN_LOG_JSON", "true"))) {
      var trainer = services.trainer();
      var inference = services.inference();
      String id =
          api.post(
                  trainer.baseUrl() + "/api/runs",
                  """
                  {"name": "end-to-end", "resize": 67, "epochs": %d, "batchSize": %d,
                   "trainLimit": %d, "testLimit": %d, "seed": 5, "logEvery": 5}
                  """
                      .formatted(EPOCHS, BATCH, TRAIN_IMAGES, TEST_IMAGES))
              .path("id")
              .asText();
      UUID run = UUID.fromString(id);
      var scraped = new java.util.TreeSet<String>();
      // ingest deletes the run's topics when it ends: read them while it runs
      var trainTopic =
          TopicCensus.Follower.start(infra.kafkaBootstrapServers(), Topics.trainBatches(run));
      var testTopic =
          TopicCensus.Follower.start(infra.kafkaBootstrapServers(), Topics.testBatches(run));

      // what Prometheus would have scraped from each service while the run trained
      var steps = new ArrayList<Double>();
      var runConsumerRecords = new ArrayList<Double>();
      var servedCheckpoints = new ArrayList<Double>();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                String trainerScrape = Scrape.of(trainer.baseUrl());
                scraped.addAll(Scrape.metricNames(trainerScrape));
                PrometheusText.value(trainerScrape, "nin_trainer_run_step{run=\"" + id + "\"}")
                    .ifPresent(steps::add);
                // the Kafka client's own metrics, of the consumer of this run's batches
                runConsumerRecords.add(
                    PrometheusText.sum(
                        trainerScrape, "kafka_consumer_fetch_manager_records_consumed_total", id));
                PrometheusText.value(
                        Scrape.of(inference.baseUrl()), "nin_inference_model_checkpoint")
                    .ifPresent(servedCheckpoints::add);
                assertThat(api.get(trainer.baseUrl() + "/api/runs/" + id).path("status").asText())
                    .as(trainer.logTail())
                    .isEqualTo("SUCCEEDED");
              });

      // What the trainer recorded: every image of every epoch exactly once.
      var trained = new ArrayList<String>();
      for (JsonNode m : api.get(trainer.baseUrl() + "/api/runs/" + id + "/metrics?scope=epoch")) {
        trained.add(
            m.path("split").asText() + m.path("epoch").asInt() + "=" + m.path("images").asLong());
      }
      assertThat(trained)
          .containsExactlyInAnyOrder(
              "train0=" + TRAIN_IMAGES,
              "train1=" + TRAIN_IMAGES,
              "test0=" + TEST_IMAGES,
              "test1=" + TEST_IMAGES);
      // Independently, what ingest published, read back from the broker: each epoch's images
      // exactly once, and the test split once; and once the run ended, its topics are gone.
      var train = trainTopic.awaitDeleted(Duration.ofSeconds(60));
      assertThat(train.keySet()).containsExactly(0, 1);
      for (var epoch : train.values()) {
        assertThat(epoch.images()).isEqualTo(TRAIN_IMAGES);
        assertThat(epoch.duplicates()).isZero();
      }
      var test = testTopic.awaitDeleted(Duration.ofSeconds(60));
      assertThat(test.get(0).images()).isEqualTo(TEST_IMAGES);
      // ... and the trainer applied exactly those batches in each epoch, no batch lost and
      // another repeated (which the image counts above would not show).
      assertThat(
              sqlLongs(
                  "select epoch_batches_digest from checkpoint where run_id = ?"
                      + " and kind = 'epoch' order by epoch",
                  run))
          .containsExactly(train.get(0).digest(), train.get(1).digest());

      // The newest epoch checkpoint of the run, as stored, is what inference serves.
      long checkpointId;
      String storedSha;
      byte[] storedZip;
      try (var c =
              DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
          var s =
              c.prepareStatement(
                  "select id, model_sha256, model_zip from checkpoint where run_id = ?"
                      + " and kind = 'epoch' order by id desc limit 1")) {
        s.setObject(1, UUID.fromString(id));
        try (var rs = s.executeQuery()) {
          assertThat(rs.next()).as("an epoch checkpoint of the run").isTrue();
          checkpointId = rs.getLong(1);
          storedSha = rs.getString(2);
          storedZip = rs.getBytes(3);
        }
      }
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(storedZip)))
          .as("the stored SavedModel matches its recorded SHA-256")
          .isEqualTo(storedSha);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                JsonNode active = api.get(inference.baseUrl() + "/api/model").path("active");
                assertThat(active.path("checkpointId").asLong()).isEqualTo(checkpointId);
                assertThat(active.path("sha256").asText()).isEqualTo(storedSha);
                assertThat(active.path("runId").asText()).isEqualTo(id);
              });
      PrometheusText.value(Scrape.of(inference.baseUrl()), "nin_inference_model_checkpoint")
          .ifPresent(servedCheckpoints::add);
      JsonNode answer =
          api.post(
              inference.baseUrl() + "/api/predict?topK=1",
              "{\"pixels\": [" + "0,".repeat(783) + "0]}");
      assertThat(answer.path("model").path("checkpointId").asLong()).isEqualTo(checkpointId);

      for (var service : List.of(trainer, services.ingest(), inference)) {
        scraped.addAll(Scrape.metricNames(Scrape.of(service.baseUrl())));
      }
      assertThat(steps).as("the run's step gauge, climbing while it trained").isSorted();
      assertThat(steps.stream().distinct().count())
          .as("distinct steps seen: %s", steps)
          .isGreaterThanOrEqualTo(2);
      assertThat(runConsumerRecords)
          .as("records its Kafka consumer fetched, in the trainer's scrape while the run trained")
          .anySatisfy(records -> assertThat(records).isPositive());
      assertThat(servedCheckpoints)
          .as("the served checkpoint gauge, moving to the run's newest")
          .endsWith((double) checkpointId);
      assertThat(servedCheckpoints.stream().filter(c -> !c.isNaN()).distinct().count())
          .as("checkpoints served, one after the other: %s", servedCheckpoints)
          .isGreaterThanOrEqualTo(2);
      String trainerScrape = Scrape.of(trainer.baseUrl());
      assertThat(trainerScrape)
          .as("the ended run's series are gone, its gauges and its consumer's Kafka metrics")
          .doesNotContain(id)
          .contains("kafka_producer_record_send_total{client_id=\"trainer-checkpoints\"");
      String ingestScrape = Scrape.of(services.ingest().baseUrl());
      // the records read back from the run's topics above
      int batches =
          train.values().stream().mapToInt(TopicCensus.Epoch::batches).sum()
              + test.get(0).batches();
      assertThat(PrometheusText.value(ingestScrape, "nin_ingest_batches_published_total"))
          .as("ingest counted each batch of the run it published")
          .hasValue(batches);
      assertThat(PrometheusText.value(ingestScrape, "nin_ingest_bytes_published_total").orElse(0))
          .as("at least a byte per pixel published")
          .isGreaterThan((double) (EPOCHS * TRAIN_IMAGES + TEST_IMAGES) * 784);
      assertThat(
              PrometheusText.sum(
                  ingestScrape, "kafka_producer_record_send_total", "ingest-batches"))
          .as("and its Kafka producer's own count of records sent (a retried batch counts again)")
          .isGreaterThanOrEqualTo(batches);
      assertThat(ingestScrape)
          .as("nor does ingest keep series of the ended run (its producer outlives every run)")
          .doesNotContain(id);
      String inferenceScrape = Scrape.of(inference.baseUrl());
      assertThat(
              PrometheusText.sum(
                  inferenceScrape,
                  "kafka_consumer_fetch_manager_records_consumed_total",
                  "inference-checkpoints\",topic=\"nin.checkpoints"))
          // at least one: the consumer starts at the topic's end, and an event sent before its
          // partition was assigned is not read (the catalogue poll finds that checkpoint instead)
          .as("inference's consumer of checkpoint events read the run's")
          .isPositive();
      assertThat(
              PrometheusText.sum(inferenceScrape, "nin_inference_requests_seconds_count", "rest"))
          .as("the prediction above, timed")
          .isGreaterThanOrEqualTo(1);
      assertThat(scraped)
          .as("every metric the Grafana dashboard (monitoring/grafana) queries, in a real scrape")
          .containsAll(Scrape.dashboardMetrics());

      var trainerLog = JsonLog.parse(trainer.log());
      assertThat(trainerLog.lines())
          .as("the trainer's lines about training the run carry its id")
          .filteredOn(line -> line.path("message").asText().startsWith("run " + id + " epoch"))
          .hasSizeGreaterThanOrEqualTo(EPOCHS)
          .allSatisfy(line -> assertThat(line.path("mdc").path("runId").asText()).isEqualTo(id));
      assertThat(trainerLog.lines())
          .as("the epoch summary names its checkpoint")
          .anySatisfy(
              line ->
                  assertThat(line.path("mdc").path("checkpointId").asLong())
                      .isEqualTo(checkpointId));
      var inferenceLog = JsonLog.parse(inference.log());
      assertThat(inferenceLog.lines())
          .as("inference's line about serving the checkpoint carries it")
          .anySatisfy(
              line -> {
                assertThat(line.path("message").asText()).startsWith("serving checkpoint");
                assertThat(line.path("mdc").path("checkpointId").asLong()).isEqualTo(checkpointId);
              });
      var ingestLog = JsonLog.parse(services.ingest().log());
      for (var log : List.of(trainerLog, inferenceLog, ingestLog)) {
        assertThat(log.lines()).as("JSON lines").isNotEmpty();
        assertThat(log.raw()).as("a service log").doesNotContain(TOKEN);
      }
    }
  }

  private List<Long> sqlLongs(String sql, UUID run) throws Exception {
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s = c.prepareStatement(sql)) {
      s.setObject(1, run);
      var values = new ArrayList<Long>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getLong(1));
        }
      }
      return values;
    }
  }
}
