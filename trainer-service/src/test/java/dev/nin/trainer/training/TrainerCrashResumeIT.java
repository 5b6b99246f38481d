package dev.nin.trainer.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.SharedInfrastructure;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kills a training trainer with SIGKILL in the middle of an epoch, damages its newest checkpoint,
 * starts another, and proves the run resumes from its newest intact checkpoint and offsets: every
 * epoch counts exactly the training split's images, none lost, none applied twice, and the run ends
 * with exactly the weights of an uninterrupted one.
 */
class TrainerCrashResumeIT {

  private final Infrastructure infra = SharedInfrastructure.get();

  @Test
  void aTrainerKilledMidEpochIsResumedByAnotherWithExactImageCounts() throws Exception {
    try (var ingest = new IngestStandIn(new PipelineKafka(infra.kafkaBootstrapServers()));
        var first = TrainerProcess.start(infra, "first")) {
      TrainerProcess.awaitUp(first);
      String id =
          Runs.post(
              first.baseUrl(),
              TrainerProcess.TOKEN,
              """
                  {"name": "crash-resume", "resize": 67, "epochs": 2, "batchSize": 50,
                   "trainLimit": 2000, "testLimit": 500, "logEvery": 5,
                   "checkpointEverySteps": 10, "seed": 11}
                  """);

      // 40 steps an epoch; kill after the resume checkpoint of step 20, before the epoch's end
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> resumeCheckpointsOf(id) >= 2);
      first.kill();
      long stepAtKill = longValue("select current_step from training_run where id = '" + id + "'");
      // The newest checkpoint is damaged after the fact (one byte of its training state): the
      // next attempt must notice (its SHA-256 no longer matches) and resume from the one before.
      long damaged =
          longValue(
              "select id from checkpoint where run_id = '"
                  + id
                  + "' order by step desc, id desc limit 1");
      execute(
          "update checkpoint set state_zip = set_byte(state_zip, 1000, (get_byte(state_zip, 1000)"
              + " + 1) % 256) where id = "
              + damaged);

      try (var second = TrainerProcess.start(infra, "second")) {
        TrainerProcess.awaitUp(second);
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () ->
                    assertThat(
                            given()
                                .baseUri(second.baseUrl())
                                .get("/api/runs/" + id)
                                .then()
                                .extract()
                                .<String>path("status"))
                        .as(second.logTail())
                        .isEqualTo("SUCCEEDED"));

        var run =
            given().baseUri(second.baseUrl()).get("/api/runs/" + id).then().extract().jsonPath();
        assertThat(run.getInt("attempts")).isEqualTo(2);
        assertThat(run.getLong("step")).isEqualTo(80);
        assertThat(stepAtKill).isLessThan(40);

        List<Map<String, Object>> epochs =
            given()
                .baseUri(second.baseUrl())
                .get("/api/runs/" + id + "/metrics?scope=epoch")
                .then()
                .statusCode(200)
                .extract()
                .path("$");
        assertThat(epochs)
            .filteredOn(m -> m.get("split").equals("train"))
            .extracting(m -> ((Number) m.get("images")).longValue())
            .containsExactly(2000L, 2000L);
        assertThat(
                longValue(
                    "select count(*) from checkpoint where run_id = '"
                        + id
                        + "' and kind = 'epoch'"))
            .isEqualTo(2);

        // The second attempt started from the checkpoint, not from scratch: it restored a
        // mid-epoch checkpoint written before the kill, the graph's own step counter held that
        // checkpoint's step, and it read the train topic from there (one record a batch), so the
        // images before that checkpoint were not trained again.
        String attempt = "select %s from run_attempt where run_id = '" + id + "' and attempt = ";
        assertThat(longValue(attempt.formatted("coalesce(resumed_from_checkpoint, -1)") + 1))
            .as("the first attempt started fresh")
            .isEqualTo(-1);
        assertThat(longValue(attempt.formatted("start_step + start_offset") + 1)).isZero();
        long restored = longValue(attempt.formatted("coalesce(resumed_from_checkpoint, -1)") + 2);
        assertThat(restored).as("the second attempt restored a checkpoint").isPositive();
        assertThat(restored).as("not the damaged one").isNotEqualTo(damaged);
        long restoredStep = longValue("select step from checkpoint where id = " + restored);
        assertThat(restoredStep)
            .isBetween(10L, stepAtKill)
            .isLessThan(longValue("select step from checkpoint where id = " + damaged));
        assertThat(longValue(attempt.formatted("start_step") + 2)).isEqualTo(restoredStep);
        assertThat(longValue(attempt.formatted("start_offset") + 2)).isEqualTo(restoredStep);

        // And it ends with exactly the weights an uninterrupted run of the same request has,
        // trained in this other process: same device, precision and threads, same bits.
        String uninterrupted =
            Runs.post(
                second.baseUrl(),
                TrainerProcess.TOKEN,
                """
                    {"name": "uninterrupted", "resize": 67, "epochs": 2, "batchSize": 50,
                     "trainLimit": 2000, "testLimit": 500, "logEvery": 5, "seed": 11}
                    """);
        Runs.awaitSucceeded(second.baseUrl(), uninterrupted, 3);
        assertThat(epochWeightDigests(id))
            .as("the killed and resumed run's weights, epoch by epoch")
            .hasSize(2)
            .isEqualTo(epochWeightDigests(uninterrupted));
      }
    }
  }

  private List<String> epochWeightDigests(String id) throws Exception {
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var rs =
            c.createStatement()
                .executeQuery(
                    "select weights_sha256 from checkpoint where run_id = '"
                        + id
                        + "' and kind = 'epoch' order by epoch")) {
      var digests = new java.util.ArrayList<String>();
      while (rs.next()) {
        digests.add(rs.getString(1));
      }
      return digests;
    }
  }

  private void execute(String sql) throws Exception {
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword())) {
      assertThat(c.createStatement().executeUpdate(sql)).isEqualTo(1);
    }
  }

  private long resumeCheckpointsOf(String id) throws Exception {
    return longValue(
        "select count(*) from checkpoint where run_id = '" + id + "' and kind = 'resume'");
  }

  private long longValue(String sql) throws Exception {
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
