package dev.nin.trainer.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.tensorboard.EventFileReader;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.RealInfrastructureResource;
import dev.nin.testsupport.TopicRecords;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WorkerProfile.class)
@QuarkusTestResource(RealInfrastructureResource.class)
class TrainingPipelineIT {

  @Inject PipelineKafka kafka;
  @Inject AgroalDataSource dataSource;

  @Test
  void aPostedRunTrainsToTheEndWithMetricsCheckpointsAndEventsPastAMalformedRecord()
      throws Exception {
    Runs.cancelEveryOtherRun(dataSource); // runs other tests queued must not hold the worker
    try (var ingest = new IngestStandIn(kafka, true)) {
      String id =
          Runs.post(
              null,
              "test-token",
              """
                  {"name": "pipeline-it", "resize": 67, "epochs": 2, "batchSize": 100,
                   "trainLimit": 1000, "testLimit": 500, "logEvery": 5, "seed": 3}
                  """);

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(given().get("/api/runs/" + id).then().extract().<String>path("status"))
                      .isIn("SUCCEEDED", "FAILED")
                      .isEqualTo("SUCCEEDED"));

      JsonPath run = given().get("/api/runs/" + id).then().extract().jsonPath();
      assertThat(run.getInt("epoch")).isEqualTo(2);
      assertThat(run.getLong("step")).isEqualTo(20);
      assertThat(run.getLong("params")).isEqualTo(1_992_166);
      assertThat(run.getLong("totalSteps")).isEqualTo(20);
      assertThat(run.getDouble("progress")).isEqualTo(1.0);
      assertThat(run.getList("latestMetrics.scope")).containsExactly("step", "epoch");

      List<Map<String, Object>> metrics =
          given().get("/api/runs/" + id + "/metrics").then().statusCode(200).extract().path("$");
      assertThat(metrics)
          .filteredOn(m -> m.get("scope").equals("step"))
          .extracting(m -> ((Number) m.get("step")).longValue())
          .containsExactly(5L, 10L, 15L, 20L);
      var epochs = metrics.stream().filter(m -> m.get("scope").equals("epoch")).toList();
      assertThat(epochs)
          .filteredOn(m -> m.get("split").equals("train"))
          .extracting(m -> ((Number) m.get("images")).longValue())
          .containsExactly(1000L, 1000L); // every epoch saw each image exactly once
      assertThat(epochs)
          .filteredOn(m -> m.get("split").equals("test"))
          .allSatisfy(
              m -> {
                assertThat(((Number) m.get("images")).longValue()).isEqualTo(500);
                assertThat(((Number) m.get("top1")).doubleValue()).isBetween(0.0, 1.0);
              });
      // each epoch says how long it trained and how long its evaluation took; steps say neither
      assertThat(epochs)
          .extracting(m -> m.get("seconds"))
          .hasSize(4)
          .allSatisfy(v -> assertThat(((Number) v).doubleValue()).isPositive());
      assertThat(metrics)
          .filteredOn(m -> m.get("scope").equals("step"))
          .extracting(m -> m.get("seconds"))
          .containsOnlyNulls();

      var shas = new ArrayList<String>();
      try (var c = dataSource.getConnection();
          var s =
              c.prepareStatement(
                  "select kind, model_zip, model_sha256, test_top1 from checkpoint"
                      + " where run_id = ?::uuid order by epoch")) {
        s.setString(1, id);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            assertThat(rs.getString("kind")).isEqualTo("epoch");
            assertThat(Sha256.hex(rs.getBytes("model_zip")))
                .isEqualTo(rs.getString("model_sha256"));
            shas.add(rs.getString("model_sha256"));
          }
        }
      }
      assertThat(shas).hasSize(2);
      given()
          .get("/api/runs/" + id + "/checkpoints")
          .then()
          .statusCode(200)
          .body("kind", org.hamcrest.Matchers.contains("epoch", "epoch"))
          .body("modelSha256", org.hamcrest.Matchers.equalTo(shas));

      // TensorBoard: the same curves, written by TF's summary ops, CRCs checked on reading
      Map<String, List<Float>> scalars = tensorBoardScalars(id);
      assertThat(scalars.get("train/loss")).hasSize(4); // steps 5, 10, 15, 20
      List<Float> testTop1 = scalars.get("epoch_test/top1");
      assertThat(testTop1).hasSize(2);
      assertThat(epochs)
          .filteredOn(m -> m.get("split").equals("test"))
          .extracting(m -> ((Number) m.get("top1")).floatValue())
          .containsExactlyElementsOf(testTop1);

      var letters = deadLettersFrom(Topics.trainBatches(java.util.UUID.fromString(id)));
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).getReason()).startsWith("not an ImageBatch protobuf");
      assertThat(letters.get(0).getService()).isEqualTo("trainer-service");
      assertThat(letters.get(0).getSourceOffset()).isZero();

      // announced after each commit, asynchronously: wait for both
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(checkpointEvents(id)).hasSize(2));
      var events = checkpointEvents(id);
      assertThat(events).extracting(CheckpointEvent::getEpoch).containsExactly(0, 1);
      assertThat(events).extracting(CheckpointEvent::getSha256).containsExactlyElementsOf(shas);

      // ingest was asked for epoch 0, then epoch 1 as it began, then told the run ended
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(requestsFor(id)).last().matches(TrainingRequest::getRunEnded));
      assertThat(requestsFor(id))
          .extracting(r -> r.getRunEnded() ? "ended" : "epoch " + r.getCurrentEpoch())
          .containsExactly("epoch 0", "epoch 1", "ended");
    }
  }

  private List<TrainingRequest> requestsFor(String runId) throws Exception {
    var requests = new ArrayList<TrainingRequest>();
    for (byte[] value : TopicRecords.all(kafka.bootstrapServers(), Topics.TRAINING_REQUESTS)) {
      var request = TrainingRequest.parseFrom(value);
      if (request.getRunId().equals(runId)) {
        requests.add(request);
      }
    }
    return requests;
  }

  @Test
  void aRunWhoseTestTop1StopsImprovingEndsStoppedEarlyWithItsReason() throws Exception {
    Runs.cancelEveryOtherRun(dataSource);
    try (var ingest = new IngestStandIn(kafka)) {
      // Adam at 0.9 drives the network to one class within an epoch or two: 0.1000 at every
      // evaluation from then on, so with a patience of one epoch the run stops one epoch after
      // its best, well before its fifth
      String id =
          Runs.post(
              null,
              "test-token",
              """
                  {"name": "plateau-it", "resize": 67, "epochs": 5, "batchSize": 100,
                   "trainLimit": 500, "testLimit": 500, "logEvery": 5, "seed": 3,
                   "learningRate": 0.9, "warmupSteps": 0, "averageDecay": 0,
                   "earlyStopPatience": 1}
                  """);

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(given().get("/api/runs/" + id).then().extract().<String>path("status"))
                      .isIn("STOPPED_EARLY", "SUCCEEDED", "FAILED")
                      .isEqualTo("STOPPED_EARLY"));

      JsonPath run = given().get("/api/runs/" + id).then().extract().jsonPath();
      String reason = run.getString("stopReason");
      assertThat(reason)
          .matches(
              "plateau: no test top-1 above 0\\.\\d{4} \\(\\+0\\.0\\) for 1 epochs since epoch \\d");
      int best = Integer.parseInt(reason.substring(reason.length() - 1));
      assertThat(run.getInt("epoch"))
          .as("epochs trained: the best, then one more")
          .isEqualTo(best + 2)
          .isLessThan(5);
      assertThat(run.getInt("hyperparameters.earlyStopPatience")).isEqualTo(1);
      List<Map<String, Object>> epochs =
          given().get("/api/runs/" + id + "/metrics?scope=epoch").then().extract().path("$");
      assertThat(epochs).filteredOn(m -> m.get("split").equals("test")).hasSize(best + 2);

      // A trainer that dies after committing that epoch but before recording the stop leaves
      // the run RUNNING with a stale heartbeat and its epoch checkpoint: the attempt that
      // resumes it must make the decision again, not train past the plateau.
      forgetTheStopAsIfTheTrainerDiedBeforeRecordingIt(id);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                JsonPath again = given().get("/api/runs/" + id).then().extract().jsonPath();
                assertThat(again.getInt("attempts")).isEqualTo(2);
                assertThat(again.getString("status"))
                    .isIn("STOPPED_EARLY", "SUCCEEDED", "FAILED")
                    .isEqualTo("STOPPED_EARLY");
              });
      JsonPath resumed = given().get("/api/runs/" + id).then().extract().jsonPath();
      assertThat(resumed.getString("stopReason")).isEqualTo(reason);
      assertThat(resumed.getInt("epoch"))
          .as("no epoch trained after the resume")
          .isEqualTo(best + 2);
      List<Map<String, Object>> after =
          given().get("/api/runs/" + id + "/metrics?scope=epoch").then().extract().path("$");
      assertThat(after).filteredOn(m -> m.get("split").equals("test")).hasSize(best + 2);
    }
  }

  private void forgetTheStopAsIfTheTrainerDiedBeforeRecordingIt(String id) throws Exception {
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "update training_run set status = 'RUNNING', stop_reason = null,"
                    + " finished_at = null, heartbeat_at = now() - interval '1 hour'"
                    + " where id = ?::uuid")) {
      s.setString(1, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void cancellingARunningRunStopsItsTrainer() throws Exception {
    Runs.cancelEveryOtherRun(dataSource);
    try (var ingest = new IngestStandIn(kafka)) {
      String id =
          Runs.post(
              null,
              "test-token",
              "{\"name\": \"to-cancel\", \"resize\": 67, \"epochs\": 50, \"batchSize\": 100,"
                  + " \"trainLimit\": 1000, \"testLimit\": 500, \"logEvery\": 1, \"seed\": 4}");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> given().get("/api/runs/" + id).then().extract().<Integer>path("step") > 0);

      given()
          .header("Authorization", "Bearer test-token")
          .post("/api/runs/" + id + "/cancel")
          .then()
          .statusCode(202)
          .body("cancelRequested", org.hamcrest.Matchers.equalTo(true));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  given()
                      .get("/api/runs/" + id)
                      .then()
                      .extract()
                      .path("status")
                      .equals("CANCELLED"));
      assertThat(given().get("/api/runs/" + id).then().extract().<Integer>path("epoch"))
          .isLessThan(50);
    }
  }

  private static Map<String, List<Float>> tensorBoardScalars(String runId) throws Exception {
    var scalars = new java.util.TreeMap<String, List<Float>>();
    for (var scalar : EventFileReader.scalars(WorkerProfile.TENSORBOARD_DIR.resolve(runId))) {
      scalars.computeIfAbsent(scalar.tag(), t -> new ArrayList<>()).add(scalar.value());
    }
    return scalars;
  }

  private List<DeadLetter> deadLettersFrom(String topic) throws Exception {
    var letters = new ArrayList<DeadLetter>();
    for (byte[] value : TopicRecords.all(kafka.bootstrapServers(), Topics.DEAD_LETTERS)) {
      var letter = DeadLetter.parseFrom(value);
      if (letter.getSourceTopic().equals(topic)) {
        letters.add(letter);
      }
    }
    return letters;
  }

  private List<CheckpointEvent> checkpointEvents(String runId) throws Exception {
    var events = new ArrayList<CheckpointEvent>();
    for (byte[] value : TopicRecords.all(kafka.bootstrapServers(), Topics.CHECKPOINTS)) {
      var event = CheckpointEvent.parseFrom(value);
      if (event.getRunId().equals(runId)) {
        events.add(event);
      }
    }
    return events;
  }
}
