package dev.nin.inference.models;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.google.protobuf.ByteString;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.GrpcChannels;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.inference.MetricsEndpoint;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The serving lifecycle against real PostgreSQL and Kafka, in order: no model yet; a checkpoint
 * event brings a model in; a corrupt checkpoint is rejected while the old model serves; a newer one
 * takes over; a pin rolls back and holds against newer checkpoints; unpinning follows the policy
 * again. The poll interval is an hour in tests: only the events can explain a swap.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelLifecycleIT {

  private static final String TOKEN = "test-token";
  private static final int RESIZE = 67;
  private static final byte[] SHIRT = new byte[784];

  @TestHTTPResource URL service;

  static long first;
  static long second;

  @BeforeAll
  static void image() {
    Arrays.fill(SHIRT, (byte) 120);
  }

  @Test
  @Order(1)
  void withoutACheckpointTheServiceIsNotReadyAndAnswers503() {
    given().get("/q/health/ready").then().statusCode(503);
    // not ready, yet alive: its updater keeps polling the catalogue
    given()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'model-updater' }.status", equalTo("UP"));
    predictOneImage()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("type", equalTo("https://nin.dev/problems/no-model"));
    ManagedChannel channel = GrpcChannels.open(service);
    try {
      assertThatThrownBy(() -> GrpcChannels.inference(channel).predict(request()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(grpcHealth(channel)).isEqualTo(ServingStatus.NOT_SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(2)
  void aCheckpointEventMakesTheServiceAnswerWithThatCheckpoint() throws Exception {
    first = Checkpoints.insert(Checkpoints.untrainedModelZip(1, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(first);

    Checkpoints.awaitServing(first);
    given().get("/q/health/ready").then().statusCode(200);
    predictOneImage()
        .statusCode(200)
        .body("model.checkpointId", equalTo((int) first))
        .body("predictions[0].top.size()", equalTo(5));
    ManagedChannel channel = GrpcChannels.open(service);
    try {
      var answer = GrpcChannels.inference(channel).predict(request());
      assertThat(answer.getModel().getCheckpointId()).isEqualTo(first);
      assertThat(answer.getPrediction().getTopCount()).isEqualTo(5);
      assertThat(grpcHealth(channel)).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(3)
  void aCorruptCheckpointIsRejectedWhileTheOldModelServes() throws Exception {
    byte[] zip = Checkpoints.untrainedModelZip(2, RESIZE);
    String claimed = Sha256.hex(zip);
    zip[zip.length / 2] ^= 0x5a; // a flipped byte: the bytes no longer match their SHA-256
    long corrupt = Checkpoints.insert(zip, claimed, RESIZE, 0.2);
    long notAZip = Checkpoints.insert(new byte[] {1, 2, 3}, RESIZE, 0.2);
    Checkpoints.announce(corrupt);
    Checkpoints.announce(notAZip);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                given()
                    .get("/api/model")
                    .then()
                    .body(
                        "history.findAll { it.kind == 'REJECTED' }.checkpointId",
                        hasItem((int) corrupt))
                    .body(
                        "history.findAll { it.kind == 'REJECTED' }.checkpointId",
                        hasItem((int) notAZip)));
    given().get("/api/model").then().body("active.checkpointId", equalTo((int) first));
    predictOneImage().statusCode(200).body("model.checkpointId", equalTo((int) first));
    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains("nin_inference_model_rejections_total{stage=\"sha256\"} 1.0")
        .contains("nin_inference_model_rejections_total{stage=\"unpack\"} 1.0");
  }

  @Test
  @Order(4)
  void aNewerCheckpointTakesOver() throws Exception {
    second = Checkpoints.insert(Checkpoints.untrainedModelZip(3, RESIZE), RESIZE, 0.3);
    Checkpoints.announce(second);
    Checkpoints.awaitServing(second);
    predictOneImage().statusCode(200).body("model.checkpointId", equalTo((int) second));
  }

  @Test
  @Order(5)
  void pinningNeedsTheToken() {
    given()
        .contentType("application/json")
        .body("{\"checkpointId\":" + first + "}")
        .put("/api/model/pin")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .header("Authorization", "Bearer wrong")
        .contentType("application/json")
        .body("{\"checkpointId\":" + first + "}")
        .put("/api/model/pin")
        .then()
        .statusCode(403);
    given().delete("/api/model/pin").then().statusCode(401);
  }

  @Test
  @Order(6)
  void aPinRollsBackAndHoldsAgainstNewerCheckpoints() throws Exception {
    pin("{\"checkpointId\":" + first + "}")
        .statusCode(200)
        .body("active.checkpointId", equalTo((int) first))
        .body("pinnedCheckpointId", equalTo((int) first));

    long third = Checkpoints.insert(Checkpoints.untrainedModelZip(4, RESIZE), RESIZE, 0.4);
    double eventsBefore = eventsSeen();
    double decisionsBefore = MetricsEndpoint.value("nin_inference_model_decisions_total");
    Checkpoints.announce(third);
    await().atMost(Duration.ofSeconds(60)).until(() -> eventsSeen() > eventsBefore);
    // The event queued a decision on the updater thread (the test profile polls once an hour, so
    // no other decision runs); once it has completed, the updater has seen the newer checkpoint,
    // and the pin must have won.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> MetricsEndpoint.value("nin_inference_model_decisions_total") > decisionsBefore);
    given()
        .get("/api/model")
        .then()
        .body("active.checkpointId", equalTo((int) first))
        .body("pinnedCheckpointId", equalTo((int) first));

    given()
        .header("Authorization", "Bearer " + TOKEN)
        .delete("/api/model/pin")
        .then()
        .statusCode(200)
        .body("active.checkpointId", equalTo((int) third))
        .body("pinnedCheckpointId", equalTo(null));
  }

  @Test
  @Order(7)
  void pinningAnUnknownOrCorruptCheckpointIsRefusedAndNothingChanges() throws Exception {
    long active = given().get("/api/model").jsonPath().getLong("active.checkpointId");
    pin("{\"checkpointId\": 999999}")
        .statusCode(404)
        .body("type", equalTo("https://nin.dev/problems/unknown-checkpoint"));
    long corrupt = Checkpoints.insert(new byte[] {9, 9, 9}, "0".repeat(64), RESIZE, 0.9);
    pin("{\"checkpointId\": " + corrupt + "}")
        .statusCode(422)
        .body("type", equalTo("https://nin.dev/problems/checkpoint-rejected"));
    pin("{}").statusCode(400).body("field", equalTo("checkpointId"));
    given()
        .get("/api/model")
        .then()
        .body("active.checkpointId", equalTo((int) active))
        .body("pinnedCheckpointId", equalTo(null));
  }

  @Test
  @Order(8)
  void everyLoadRejectionAndPinAboveIsInTheServingHistoryInSql() throws Exception {
    var infra = dev.nin.testsupport.SharedInfrastructure.get();
    var rows = new java.util.ArrayList<String>();
    try (var c =
            java.sql.DriverManager.getConnection(
                infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var rs =
            c.createStatement()
                .executeQuery(
                    "select kind, checkpoint_id, coalesce(reason, '') from serving_event"
                        + " order by id")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
      }
    }
    // what GET /api/model lists, oldest first, is exactly what SQL holds
    var listed =
        new java.util.ArrayList<String>(
            given().get("/api/model").jsonPath().getList("history", java.util.Map.class).stream()
                .map(
                    e ->
                        e.get("kind")
                            + " "
                            + e.get("checkpointId")
                            + " "
                            + e.getOrDefault("detail", ""))
                .toList());
    java.util.Collections.reverse(listed);
    assertThat(listed).isNotEmpty();
    assertThat(rows).containsSubsequence(listed);
    assertThat(rows).anyMatch(r -> r.startsWith("LOADED " + first + " "));
    assertThat(rows).anyMatch(r -> r.startsWith("REJECTED ") && r.contains("SHA-256 mismatch"));
    assertThat(rows).anyMatch(r -> r.startsWith("PINNED " + first + " pinned by API"));
    assertThat(rows).anyMatch(r -> r.startsWith("UNPINNED " + first));
  }

  private static double eventsSeen() {
    return MetricsEndpoint.value("nin_inference_checkpoint_events_total");
  }

  private static ValidatableResponse predictOneImage() {
    return given().contentType("application/json").body(pixelsJson()).post("/api/predict").then();
  }

  private static ValidatableResponse pin(String body) {
    return given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType("application/json")
        .body(body)
        .put("/api/model/pin")
        .then();
  }

  private static String pixelsJson() {
    StringBuilder json = new StringBuilder("{\"pixels\":[");
    for (int i = 0; i < SHIRT.length; i++) {
      json.append(i == 0 ? "" : ",").append(SHIRT[i] & 0xff);
    }
    return json.append("]}").toString();
  }

  private static PredictRequest request() {
    return PredictRequest.newBuilder()
        .setImage(Image.newBuilder().setPixels(ByteString.copyFrom(SHIRT)))
        .build();
  }

  private static ServingStatus grpcHealth(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.newBuilder().setService("nin.v1.Inference").build())
        .getStatus();
  }
}
