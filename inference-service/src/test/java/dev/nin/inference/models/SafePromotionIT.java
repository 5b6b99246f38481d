package dev.nin.inference.models;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.client.RestPredictions;
import dev.nin.contracts.FashionMnist;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Safe promotion, with every stage on: a gate (at most 5 points of test top-1 below the serving
 * model, and no dead class), a shadow (every request copied, for 10 requests) and a canary (half
 * the requests, for 10). A worse checkpoint is kept out; a good one is shadowed, its agreement with
 * the serving model recorded exactly, then answers as a canary beside the serving model and takes
 * over. Each step is in {@code GET /api/model} and in {@code serving_event}.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
@TestProfile(SafePromotionIT.EveryStage.class)
@TestMethodOrder(OrderAnnotation.class)
class SafePromotionIT {

  private static final int RESIZE = 67;
  private static final int IMAGES = 20;
  private static final int SHADOW_REQUESTS = 10;
  private static final int CANARY_REQUESTS = 10;
  private static final String TOKEN = "test-token";

  public static class EveryStage implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "nin.inference.promotion.max-regression", "0.05",
          "nin.inference.promotion.refuse-dead-classes", "true",
          "nin.inference.promotion.shadow-percent", "100",
          "nin.inference.promotion.shadow-requests", String.valueOf(SHADOW_REQUESTS),
          "nin.inference.promotion.canary-percent", "50",
          "nin.inference.promotion.canary-requests", String.valueOf(CANARY_REQUESTS));
    }
  }

  private static long serving;
  private static byte[] pixels;

  @BeforeEach
  void aCheckpointServesByPin() throws Exception {
    if (pixels != null) {
      return; // once for the class (RestAssured knows the port from the first test on)
    }
    pixels = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST).pixels();
    // trained a little, so that its answers vary and the shadow's agreement means something
    serving = Checkpoints.insert(Checkpoints.trainedModelZip(31, RESIZE, 3_840), RESIZE, 0.60);
    // a pin serves at once, whatever the stages; unpinned, the newest (this one) stays
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType("application/json")
        .body("{\"checkpointId\": " + serving + "}")
        .put("/api/model/pin")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .delete("/api/model/pin")
        .then()
        .statusCode(200);
    Checkpoints.awaitServing(serving);
  }

  @Test
  @Order(1)
  void theGateKeepsOutACheckpointWorseThanTheServingOne() throws Exception {
    long worse = Checkpoints.insert(Checkpoints.untrainedModelZip(32, RESIZE), RESIZE, 0.30);
    Checkpoints.announce(worse);

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> eventsOf(worse).contains("GATED"));
    assertThat(reasonOf(worse, "GATED")).contains("0.3000").contains("0.6000");
    var status = given().get("/api/model").jsonPath();
    assertThat(status.getLong("active.checkpointId")).isEqualTo(serving);
    assertThat(status.getDouble("promotion.maxRegression")).isEqualTo(0.05);
    assertThat(status.getString("trial")).as("a gated checkpoint is not tried").isNull();
    assertThat(predictedBy(0)).isEqualTo(serving);
  }

  @Test
  @Order(2)
  void theGateKeepsOutACheckpointWhoseEvaluationNeverPredictedAClass() throws Exception {
    // as good as the serving model by top-1, but its own evaluation never predicted Shirt
    long dead = Checkpoints.insert(Checkpoints.trainedModelZip(34, RESIZE, 3_840), RESIZE, 0.61);
    recordClasses(dead, "Shirt");
    Checkpoints.announce(dead);

    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf(dead).contains("GATED"));
    assertThat(reasonOf(dead, "GATED")).contains("never predicted Shirt");
    var status = given().get("/api/model").jsonPath();
    assertThat(status.getLong("active.checkpointId")).isEqualTo(serving);
    assertThat(status.getBoolean("promotion.refuseDeadClasses")).isTrue();
    assertThat(status.getString("trial")).as("a gated checkpoint is not tried").isNull();
  }

  @Test
  @Order(3)
  void aShadowRecordsItsAgreementThenACanaryAnswersBesideTheServingModelAndTakesOver()
      throws Exception {
    long candidate =
        Checkpoints.insert(Checkpoints.trainedModelZip(33, RESIZE, 3_840), RESIZE, 0.58);
    Checkpoints.announce(candidate);
    awaitTrial(candidate, "SHADOW");

    // What the shadow should find: the candidate's own top-1 (asked by version) against the
    // serving model's answer to the same images.
    int agreed = 0;
    for (int r = 0; r < SHADOW_REQUESTS; r++) {
      JsonPath answer = predict(r);
      assertThat(answer.getLong("model.checkpointId"))
          .as("a shadow's answers are discarded: the serving model answers")
          .isEqualTo(serving);
      List<Integer> own = candidateTop1(candidate, r);
      for (int i = 0; i < IMAGES; i++) {
        if (answer.getInt("predictions[" + i + "].top[0].label") == own.get(i)) {
          agreed++;
        }
      }
    }
    awaitTrial(candidate, "CANARY");
    double expected = agreed / (double) (SHADOW_REQUESTS * IMAGES);
    System.out.printf(
        "shadow agreement: %d of %d images (%.4f)%n", agreed, SHADOW_REQUESTS * IMAGES, expected);
    assertThat(expected)
        .as("a partial agreement, which a wrong count would miss")
        .isStrictlyBetween(0.0, 1.0);
    var shadowEnded = figuresOf(candidate, "SHADOW_ENDED");
    assertThat(shadowEnded.get("requests")).isEqualTo((double) SHADOW_REQUESTS);
    assertThat(shadowEnded.get("errors")).isZero();
    assertThat(shadowEnded.get("agreement"))
        .as("agreement over %d images", SHADOW_REQUESTS * IMAGES)
        .isEqualTo(expected);
    assertThat(shadowEnded.get("p99_millis")).isPositive();

    Set<Long> answeredBy = new HashSet<>();
    List<Integer> statuses = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              String before = stage();
              var response =
                  given()
                      .contentType("application/json")
                      .body(RestPredictions.body(pixels, 0, IMAGES))
                      .post("/api/predict");
              statuses.add(response.statusCode());
              // only answers given while the candidate was a canary, before and after the call,
              // count: after its promotion it answers everything anyway
              if (response.statusCode() == 200
                  && "CANARY".equals(before)
                  && "CANARY".equals(stage())) {
                answeredBy.add(response.jsonPath().getLong("model.checkpointId"));
              }
              return eventsOf(candidate).contains("PROMOTED");
            });
    assertThat(statuses).as("no request fails during the canary").containsOnly(200);
    assertThat(answeredBy)
        .as("the canary answers its share while the serving model answers the rest")
        .containsExactlyInAnyOrder(serving, candidate);
    var promoted = figuresOf(candidate, "PROMOTED");
    assertThat(promoted.get("requests")).isGreaterThanOrEqualTo((double) CANARY_REQUESTS);
    assertThat(promoted.get("errors")).isZero();
    Checkpoints.awaitServing(candidate);
    assertThat(eventsOf(candidate))
        .containsSubsequence("SHADOW_STARTED", "SHADOW_ENDED", "CANARY_STARTED", "PROMOTED");
    var history = given().get("/api/model").jsonPath().getList("history.kind", String.class);
    assertThat(history).contains("PROMOTED", "CANARY_STARTED", "SHADOW_ENDED", "GATED");
  }

  private static String stage() {
    return given().get("/api/model").jsonPath().getString("trial.stage");
  }

  private static void awaitTrial(long candidate, String stage) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var status = given().get("/api/model").jsonPath();
              assertThat(status.getString("trial.candidate.checkpointId"))
                  .isEqualTo(String.valueOf(candidate));
              assertThat(status.getString("trial.stage")).isEqualTo(stage);
            });
  }

  private static JsonPath predict(int request) {
    return given()
        .contentType("application/json")
        .queryParam("topK", 1)
        .body(RestPredictions.body(pixels, request * IMAGES, IMAGES))
        .post("/api/predict")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static long predictedBy(int request) {
    return predict(request).getLong("model.checkpointId");
  }

  /** The candidate's top-1 for a request's images, asked for by version (OIP), not shadowed. */
  private static List<Integer> candidateTop1(long candidate, int request) {
    List<Float> probs =
        given()
            .contentType("application/json")
            .body(RestPredictions.oipBody(null, pixels, request * IMAGES, IMAGES))
            .post("/v2/models/nin/versions/" + candidate + "/infer")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("outputs[0].data", Float.class);
    List<Integer> top1 = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      int best = 0;
      for (int c = 1; c < 10; c++) {
        if (probs.get(i * 10 + c) > probs.get(i * 10 + best)) {
          best = c;
        }
      }
      top1.add(best);
    }
    return top1;
  }

  /** The trainer's class figures for the checkpoint's epoch: every class predicted but these. */
  private static void recordClasses(long checkpoint, String... neverPredicted) throws Exception {
    var infra = SharedInfrastructure.get();
    var names = FashionMnist.CLASS_NAMES;
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s =
            c.prepareStatement(
                "insert into epoch_class_metric (run_id, epoch, class_index, class_name, images,"
                    + " hits, predicted) select run_id, epoch, ?, ?, 100, ?, ? from checkpoint"
                    + " where id = ?")) {
      for (int k = 0; k < names.size(); k++) {
        boolean dead = List.of(neverPredicted).contains(names.get(k));
        s.setInt(1, k);
        s.setString(2, names.get(k));
        s.setInt(3, dead ? 0 : 80);
        s.setInt(4, dead ? 0 : 100);
        s.setLong(5, checkpoint);
        s.executeUpdate();
      }
    }
  }

  private static List<String> eventsOf(long checkpoint) throws Exception {
    var infra = SharedInfrastructure.get();
    List<String> kinds = new ArrayList<>();
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s =
            c.prepareStatement(
                "select kind from serving_event where checkpoint_id = ? order by id")) {
      s.setLong(1, checkpoint);
      try (var rows = s.executeQuery()) {
        while (rows.next()) {
          kinds.add(rows.getString(1));
        }
      }
    }
    return kinds;
  }

  private static String reasonOf(long checkpoint, String kind) throws Exception {
    var infra = SharedInfrastructure.get();
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s =
            c.prepareStatement(
                "select reason from serving_event where checkpoint_id = ? and kind = ?")) {
      s.setLong(1, checkpoint);
      s.setString(2, kind);
      try (var rows = s.executeQuery()) {
        assertThat(rows.next()).as("a %s row for checkpoint %d", kind, checkpoint).isTrue();
        return rows.getString(1);
      }
    }
  }

  /** A trial event's figures as SQL holds them. */
  private static Map<String, Double> figuresOf(long checkpoint, String kind) throws Exception {
    var infra = SharedInfrastructure.get();
    try (var c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s =
            c.prepareStatement(
                "select requests, errors, agreement, p99_millis from serving_event"
                    + " where checkpoint_id = ? and kind = ?")) {
      s.setLong(1, checkpoint);
      s.setString(2, kind);
      try (var rows = s.executeQuery()) {
        assertThat(rows.next()).as("a %s row for checkpoint %d", kind, checkpoint).isTrue();
        var figures = new java.util.HashMap<String, Double>();
        figures.put("requests", (double) rows.getLong(1));
        figures.put("errors", (double) rows.getLong(2));
        figures.put("agreement", rows.getObject(3, Double.class));
        figures.put("p99_millis", rows.getObject(4, Double.class));
        return figures;
      }
    }
  }
}
