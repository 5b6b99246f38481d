package dev.nin.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.tools.bench.Targets;
import dev.nin.tools.chaos.DeadLetters;
import dev.nin.tools.chaos.TopicCensus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The verdicts on a chaos run: {@code scripts/chaos.sh} drives the real local stack through its
 * faults (SIGKILLs, broker and database restarts, hot reloads, hostile input) and records what it
 * did ({@link ChaosFacts}); these checks then read what the product made of it, from the database,
 * the broker and each run's topic census, and write the summary keys chaos.sh prints ({@code
 * chaos-summary.properties} beside the facts).
 *
 * <p>Run only by chaos.sh ({@code mvn -pl system-tests verify -Pchaos -Dnin.chaos.facts=FILE}):
 * without a chaos run before it there is nothing to judge, so the default suite does not include
 * it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosOutcomesIT {

  private static final int CHAOS_EPOCHS = 2;
  private static final long CHAOS_IMAGES_PER_EPOCH = 6000;
  private static final int INGEST_KILL_EPOCHS = 3;
  private static final long INGEST_KILL_IMAGES_PER_EPOCH = 20_000;

  /** Two epochs of 6,000 images at batch 128, a step metric every 5 steps. */
  private static final long CHAOS_STEP_METRIC_ROWS = 18;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The summary keys in the order chaos.sh has always printed them; "?" until a check sets one. */
  private static final Map<String, String> SUMMARY = new LinkedHashMap<>();

  private static ChaosFacts facts;
  private static ChaosDatabase db;
  private static long imagesLost;
  private static long imagesDuplicated;
  private static int batchSetsMismatched;

  @BeforeAll
  static void readTheChaosRun() throws Exception {
    for (String key :
        List.of(
            "baseline_test_top1",
            "killed_run_test_top1",
            "killed_run_attempts",
            "ingest_kill_ok",
            "reloads_done",
            "trainer_kills_survived",
            "images_lost",
            "images_duplicated",
            "batch_sets_mismatched",
            "final_top1_delta",
            "final_weights_identical",
            "kafka_restart_ok",
            "postgres_restart_ok",
            "reload_failed_requests",
            "bad_inputs_tried",
            "bad_inputs_5xx",
            "max_epochs_ahead",
            "epochs_ahead_configured",
            "kafka_data_mb_before",
            "kafka_data_mb_after",
            "poison_pill_baseline_s",
            "poison_pill_recovered_s",
            "small_request_p50_ms_baseline",
            "small_request_p50_ms_during_big_uploads",
            "small_request_max_ms_during_big_uploads")) {
      SUMMARY.put(key, "?");
    }
    facts = ChaosFacts.fromSystemProperty();
    db = ChaosDatabase.fromEnvironment();
    // what the fault tools measured themselves (reloads, the catalogue, timings) comes as a fact;
    // the rest the checks below work out
    for (String key : SUMMARY.keySet()) {
      facts.get(key).ifPresent(value -> SUMMARY.put(key, value));
    }
  }

  @AfterAll
  static void writeTheSummary() throws Exception {
    SUMMARY.put("images_lost", String.valueOf(imagesLost));
    SUMMARY.put("images_duplicated", String.valueOf(imagesDuplicated));
    SUMMARY.put("batch_sets_mismatched", String.valueOf(batchSetsMismatched));
    var lines = new StringBuilder();
    SUMMARY.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
    if (facts != null) {
      Files.writeString(facts.directory().resolve("chaos-summary.properties"), lines);
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void anUninterruptedRunTrainsOnEveryImageOnce() throws Exception {
    UUID baseline = run("baseline_run");
    assertThat(db.status(baseline)).isEqualTo("SUCCEEDED");
    SUMMARY.put("baseline_test_top1", String.valueOf(db.testTop1(baseline)));
    assertExactImages(baseline, CHAOS_EPOCHS, CHAOS_IMAGES_PER_EPOCH);
  }

  @Test
  @Order(2)
  void aRunWhoseTrainerIsKilledThreeTimesResumesEachTimeFromItsCheckpoint() throws Exception {
    UUID killed = run("killed_run");
    int kills = facts.requireInt("trainer_kills_landed");
    String status = db.status(killed);
    int attempts = db.attempts(killed);
    SUMMARY.put("killed_run_attempts", String.valueOf(attempts));
    SUMMARY.put("trainer_kills_survived", String.valueOf(status.equals("SUCCEEDED") ? kills : 0));
    var starts = db.attemptStarts(killed);
    var soft = new SoftAssertions();
    soft.assertThat(kills).as("trainer kills that landed").isEqualTo(3);
    soft.assertThat(status).as("the killed run's status").isEqualTo("SUCCEEDED");
    soft.assertThat(attempts).as("attempts: the first and one after each kill").isEqualTo(4);
    // Every later attempt restored a checkpoint and read the train topic from its position (one
    // record a batch, so the next offset equals the steps applied), never from scratch.
    soft.assertThat(starts.stream().filter(a -> a.attempt() > 1))
        .as("resumed attempts, each from its checkpoint's step and offset: %s", starts)
        .allMatch(ChaosDatabase.AttemptStart::fromItsCheckpoint);
    // Kill 2 landed during epoch 0's evaluation, before its epoch checkpoint: attempt 3 resumed
    // from a mid-epoch checkpoint of epoch 0. Kill 3 landed while an epoch checkpoint was written:
    // attempt 4 resumed inside that epoch or from its just-committed end.
    soft.assertThat(checkpointOfAttempt(starts, 3))
        .as("where attempt 3 resumed (kill 2, during epoch 0's evaluation)")
        .isEqualTo("resume 0");
    String kill3Epoch = facts.require("kill3_epoch");
    soft.assertThat(checkpointOfAttempt(starts, 4))
        .as("where attempt 4 resumed (kill 3, while epoch %s's checkpoint was written)", kill3Epoch)
        .isIn("resume " + kill3Epoch, "epoch " + kill3Epoch);
    soft.assertAll();
    assertExactImages(killed, CHAOS_EPOCHS, CHAOS_IMAGES_PER_EPOCH);
  }

  @Test
  @Order(3)
  void theKilledRunEndsWithTheBaselinesWeightsBitForBit() throws Exception {
    UUID baseline = run("baseline_run");
    UUID killed = run("killed_run");
    // Same device, precision and threads (docs/reproducibility.md): the same weights each epoch.
    List<String> baselineWeights = db.epochWeights(baseline);
    List<String> killedWeights = db.epochWeights(killed);
    boolean identical =
        !killedWeights.isEmpty()
            && !killedWeights.contains("none")
            && killedWeights.equals(baselineWeights);
    SUMMARY.put("final_weights_identical", String.valueOf(identical));
    double killedTop1 = db.testTop1(killed);
    double delta = Math.abs(killedTop1 - db.testTop1(baseline));
    SUMMARY.put("killed_run_test_top1", String.valueOf(killedTop1));
    SUMMARY.put("final_top1_delta", String.format(Locale.ROOT, "%.4f", delta));
    var soft = new SoftAssertions();
    soft.assertThat(killedWeights)
        .as("the killed run's weights by epoch against the baseline's")
        .isNotEmpty()
        .doesNotContain("none")
        .isEqualTo(baselineWeights);
    soft.assertThat(delta).as("final test top-1 against the baseline's").isLessThanOrEqualTo(0.005);
    soft.assertAll();
  }

  @Test
  @Order(4)
  void aRunLosesNothingWhenTheBrokerRestarts() throws Exception {
    UUID run = run("kafka_run");
    SUMMARY.put("kafka_restart_ok", "false");
    assertThat(db.status(run)).isEqualTo("SUCCEEDED");
    assertExactImages(run, CHAOS_EPOCHS, CHAOS_IMAGES_PER_EPOCH);
    SUMMARY.put("kafka_restart_ok", "true");
  }

  @Test
  @Order(5)
  void aRunLosesNothingWhenTheDatabaseRestartsAndInferenceServesMeanwhile() throws Exception {
    UUID run = run("postgres_run");
    SUMMARY.put("postgres_restart_ok", "false");
    String dependencies =
        JSON.readTree(
                facts
                    .directory()
                    .resolve(facts.require("postgres_down_dependencies_file"))
                    .toFile())
            .path("status")
            .asText();
    var soft = new SoftAssertions();
    soft.assertThat(facts.require("postgres_down_predict_status"))
        .as("a predict while PostgreSQL is down")
        .isEqualTo("200");
    soft.assertThat(facts.require("postgres_down_ready_status"))
        .as("inference readiness while PostgreSQL is down (it serves from memory)")
        .isEqualTo("200");
    soft.assertThat(dependencies)
        .as("inference's dependencies health group while PostgreSQL is down")
        .isEqualTo("DOWN");
    soft.assertThat(db.status(run)).as("the run's status").isEqualTo("SUCCEEDED");
    soft.assertThat(db.stepMetricRows(run))
        .as("step metric rows, none lost to the outage")
        .isEqualTo(CHAOS_STEP_METRIC_ROWS);
    soft.assertThat(db.epochWeights(run)).as("epoch checkpoints").hasSize(CHAOS_EPOCHS);
    soft.assertAll();
    assertExactImages(run, CHAOS_EPOCHS, CHAOS_IMAGES_PER_EPOCH);
    SUMMARY.put("postgres_restart_ok", "true");
  }

  @Test
  @Order(6)
  void tenHotReloadsUnderLoadDropNoRequest() {
    assertThat(facts.requireInt("reloads_done")).as("hot reloads done").isEqualTo(10);
    assertThat(facts.requireInt("reload_failed_requests")).as("failed requests").isZero();
  }

  @Test
  @Order(7)
  void aRunWhoseIngestIsKilledMidPublicationLosesNothingAndIngestStaysAtMostItsEpochsAhead()
      throws Exception {
    UUID run = run("ingest_run");
    SUMMARY.put("ingest_kill_ok", "false");
    assertThat(facts.require("ingest_killed_mid_publication"))
        .as("the kill landed before the publication finished")
        .isEqualTo("true");
    assertThat(db.status(run)).isEqualTo("SUCCEEDED");
    assertExactImages(run, INGEST_KILL_EPOCHS, INGEST_KILL_IMAGES_PER_EPOCH);
    SUMMARY.put("ingest_kill_ok", "true");
    // How far ahead ingest published: at each epoch's first batch, the epochs the trainer had
    // finished (its epoch checkpoints' commit times) say which epoch it was on.
    List<Instant> epochsDone = db.epochCheckpointTimes(run);
    int maxAhead = 0;
    for (var entry : census(run).entrySet()) {
      var published = Instant.ofEpochMilli(entry.getValue().firstPublishedMs());
      long doneBefore = epochsDone.stream().filter(t -> t.isBefore(published)).count();
      maxAhead = Math.max(maxAhead, (int) (entry.getKey() - doneBefore));
    }
    SUMMARY.put("max_epochs_ahead", String.valueOf(maxAhead));
    assertThat(maxAhead)
        .as("epochs ingest published ahead of the trainer")
        .isLessThanOrEqualTo(facts.requireInt("epochs_ahead_configured"));
  }

  @Test
  @Order(8)
  void theBadInputCatalogueGetsNoServerError() {
    assertThat(facts.require("bad_input_catalogue_exit")).as("the catalogue's exit").isEqualTo("0");
    assertThat(facts.requireInt("bad_inputs_tried")).isPositive();
    assertThat(facts.requireInt("bad_inputs_5xx")).as("answers 5xx").isZero();
  }

  @Test
  @Order(9)
  void aPoisonPillIsDeadLetteredAndTheNextRunDoesNotWaitForIt() {
    String poisonRun = facts.require("poison_run");
    double baseline = facts.requireDouble("poison_pill_baseline_s");
    double recovered = facts.requireDouble("poison_pill_recovered_s");
    var letters =
        DeadLetters.forKey(Targets.fromEnvironment().kafka(), poisonRun, Duration.ofSeconds(60));
    var soft = new SoftAssertions();
    soft.assertThat(letters)
        .as("the poison pill's dead letters")
        .anyMatch(letter -> letter.contains("run topic conflict"));
    soft.assertThat(recovered)
        .as("seconds to the next run's first step (%s s without the pill)", baseline)
        .isBetween(0.0, 3 * baseline + 10);
    soft.assertThat(facts.require("ingest_ready_after_pill"))
        .as("ingest readiness after the pill")
        .isEqualTo("200");
    soft.assertAll();
  }

  @Test
  @Order(10)
  void smallPredictsStayFastWhileHugeUploadsDecode() {
    assertThat(facts.require("upload_isolation_exit")).as("UploadIsolation's exit").isEqualTo("0");
    assertThat(facts.requireInt("big_uploads_done")).as("huge uploads decoded").isPositive();
    assertThat(facts.requireDouble("small_request_max_ms_during_big_uploads"))
        .as("the slowest small predict during the uploads, ms")
        .isLessThan(1000);
  }

  private static UUID run(String key) {
    return UUID.fromString(facts.require(key));
  }

  private static String checkpointOfAttempt(List<ChaosDatabase.AttemptStart> starts, int attempt) {
    return starts.stream()
        .filter(a -> a.attempt() == attempt)
        .map(ChaosDatabase.AttemptStart::checkpoint)
        .findFirst()
        .orElse("no attempt " + attempt);
  }

  /** The run's topic against what the trainer applied; adds to the summary's totals. */
  private static void assertExactImages(UUID run, int epochs, long imagesPerEpoch)
      throws Exception {
    Map<Integer, TopicCensus.Epoch> topic;
    try {
      topic = census(run);
    } catch (AssertionError e) {
      batchSetsMismatched++;
      throw e;
    }
    var accounting = ImageAccounting.of(topic, db.applied(run), epochs, imagesPerEpoch);
    imagesLost += accounting.lost();
    imagesDuplicated += accounting.duplicated();
    batchSetsMismatched += accounting.mismatched();
    assertThat(accounting.findings())
        .as("run %s: its topic against what it trained on", run)
        .isEmpty();
  }

  /**
   * The census chaos.sh's follower took of the run's train topic: it ends when ingest deletes the
   * topic after the run, so it is awaited.
   */
  private static Map<Integer, TopicCensus.Epoch> census(UUID run) throws IOException {
    Path rc = facts.directory().resolve("census-" + run + ".rc");
    await("the census of run " + run + "'s topic (its deletion after the run)")
        .atMost(Duration.ofSeconds(120))
        .until(() -> Files.isRegularFile(rc) && Files.size(rc) > 0);
    assertThat(Files.readString(rc).strip()).as("the census follower's exit").isEqualTo("0");
    return TopicCensus.fromLines(
        Files.readAllLines(facts.directory().resolve("census-" + run + ".txt")));
  }
}
