package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.PredictBatchRequest;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.GrpcChannels;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.inference.MetricsEndpoint;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of input POST /api/predict and the gRPC service accept, and every one they refuse. */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class PredictionInputIT {

  private static final int RESIZE = 67;
  private static boolean modelServing;

  @TestHTTPResource URL service;
  private ManagedChannel channel;

  @BeforeEach
  void aModelServes() throws Exception {
    if (!modelServing) {
      long id = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.1);
      Checkpoints.announce(id);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
      modelServing = true;
    }
    channel = GrpcChannels.open(service);
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  @Test
  void oneImageAsJsonPixelsGetsTheTopFiveWithNames() {
    given()
        .contentType("application/json")
        .body("{\"pixels\":" + values(784, "0") + "}")
        .post("/api/predict")
        .then()
        .statusCode(200)
        .body("predictions.size()", equalTo(1))
        .body("predictions[0].top.size()", equalTo(5))
        .body("predictions[0].top[0].name", org.hamcrest.Matchers.notNullValue())
        .body("model.runId", org.hamcrest.Matchers.notNullValue())
        .body("model.epoch", equalTo(1));
  }

  @Test
  void instancesGetOneAnswerEachAndTopKChoosesHowManyClasses() {
    String three = "[" + values(784, "0") + "," + values(784, "255") + "," + values(784, "7") + "]";
    given()
        .contentType("application/json")
        .queryParam("topK", 10)
        .body("{\"instances\":" + three + "}")
        .post("/api/predict")
        .then()
        .statusCode(200)
        .body("predictions.size()", equalTo(3))
        .body("predictions[2].top.size()", equalTo(10));
  }

  @Test
  void pngAndJpegUploadsAreScaledTo28x28Grayscale() throws Exception {
    for (String format : new String[] {"png", "jpeg"}) {
      given()
          .contentType("image/" + format)
          .body(image(format, 100, 80))
          .post("/api/predict")
          .then()
          .statusCode(200)
          .body("predictions[0].top.size()", equalTo(5));
    }
  }

  @Test
  void wrongShapesAndValuesAre400WithTheField() {
    problem("{\"pixels\":" + values(783, "0") + "}", 400, "pixels");
    problem("{\"pixels\":" + values(784, "256") + "}", 400, "pixels[0]");
    problem("{\"pixels\":" + values(784, "-1") + "}", 400, "pixels[0]");
    problem("{\"pixels\":" + values(784, "1.5") + "}", 400, "pixels[0]");
    problem("{\"instances\":[" + values(10, "0") + "]}", 400, "instances[0]");
    problem("{\"instances\":[]}", 400, "instances");
    problem("{}", 400, "pixels");
    problem(
        "{\"pixels\":" + values(784, "0") + ",\"instances\":[" + values(784, "0") + "]}",
        400,
        "pixels");
    problem("{\"pixels\":" + values(784, "0") + ",\"colour\":true}", 400, "colour");
    problem("{\"pixels\":\"abc\"}", 400, "pixels");
    // exact types: no null and no string where the README promises integers
    problem("{\"pixels\":" + values(784, "null") + "}", 400, "pixels[0]");
    problem("{\"pixels\":" + values(784, "\"7\"") + "}", 400, "pixels[0]");
    problem("{\"instances\":[" + values(784, "null") + "]}", 400, "instances[0][0]");
    // one document, read exactly: trailing data and duplicate keys are malformed JSON
    malformed("{\"pixels\":" + values(784, "0") + "} {}");
    malformed("{\"pixels\":" + values(784, "0") + ",\"pixels\":" + values(784, "0") + "}");
    given()
        .contentType("application/json")
        .body("{\"pixels\": [1, 2")
        .post("/api/predict")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .contentType("application/json")
        .queryParam("topK", 11)
        .body("{\"pixels\":" + values(784, "0") + "}")
        .post("/api/predict")
        .then()
        .statusCode(400)
        .body("field", equalTo("topK"));
  }

  @Test
  void malformedQueryParametersAre400NamingTheParameterNot404() throws Exception {
    // JAX-RS answers 404 for a @QueryParam int it cannot convert: the endpoint seems gone
    for (String topK : List.of("abc", "1.5", "99999999999", "5x", "-1")) {
      given()
          .contentType("application/json")
          .queryParam("topK", topK)
          .body("{\"pixels\":" + values(784, "0") + "}")
          .post("/api/predict")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("field", equalTo("topK"));
    }
    byte[] png = image("png", 28, 28);
    for (var parameter : List.of(List.of("topK", "three"), List.of("invert", "maybe"))) {
      given()
          .contentType("image/png")
          .queryParam(parameter.get(0), parameter.get(1))
          .body(png)
          .post("/api/predict")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("field", equalTo(parameter.get(0)));
    }
    given()
        .contentType("image/png")
        .queryParam("invert", "true")
        .queryParam("topK", "2")
        .body(png)
        .post("/api/predict")
        .then()
        .statusCode(200)
        .body("predictions[0].top.size()", equalTo(2));
  }

  @Test
  void tooManyImagesOrTooLargeAnUploadIs413() throws Exception {
    String many = "[" + String.join(",", Collections.nCopies(257, values(784, "0"))) + "]";
    given()
        .contentType("application/json")
        .body("{\"instances\":" + many + "}")
        .post("/api/predict")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo("https://nin.dev/problems/too-large"));
    // A tiny file that claims a huge picture is refused from its header, before decoding.
    given()
        .contentType("image/png")
        .body(image("png", 5000, 1))
        .post("/api/predict")
        .then()
        .statusCode(413);
    given()
        .contentType("image/png")
        .body(new byte[3 * 1024 * 1024])
        .post("/api/predict")
        .then()
        .statusCode(413);
  }

  @Test
  void anUndecodableImageIs400AndAnUnsupportedTypeIs415() {
    given()
        .contentType("image/png")
        .body(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})
        .post("/api/predict")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("image"));
    given()
        .contentType("text/plain")
        .body("a shirt")
        .post("/api/predict")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
  }

  @Test
  void grpcAnswersSingleAndBatchCalls() {
    var stub = GrpcChannels.inference(channel);
    var one = stub.predict(PredictRequest.newBuilder().setImage(image(784)).setTopK(3).build());
    assertThat(one.getPrediction().getTopCount()).isEqualTo(3);
    var batch =
        stub.predictBatch(
            PredictBatchRequest.newBuilder().addImages(image(784)).addImages(image(784)).build());
    assertThat(batch.getPredictionsCount()).isEqualTo(2);
    assertThat(batch.getPredictions(0).getTopCount()).isEqualTo(5);
    assertThat(stub.getModel(dev.nin.contracts.v1.GetModelRequest.getDefaultInstance()).getEpoch())
        .isEqualTo(1);
  }

  @Test
  void grpcRefusesBadInputWithTheMatchingStatus() {
    var stub = GrpcChannels.inference(channel);
    assertCode(
        () -> stub.predict(PredictRequest.newBuilder().setImage(image(100)).build()),
        Status.Code.INVALID_ARGUMENT);
    assertCode(
        () -> stub.predict(PredictRequest.newBuilder().setImage(image(784)).setTopK(11).build()),
        Status.Code.INVALID_ARGUMENT);
    assertCode(
        () -> stub.predictBatch(PredictBatchRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT);
    var many = PredictBatchRequest.newBuilder();
    for (int i = 0; i < 257; i++) {
      many.addImages(image(784));
    }
    assertCode(() -> stub.predictBatch(many.build()), Status.Code.RESOURCE_EXHAUSTED);
  }

  /**
   * Limits hold after decompression: 50 MB of zeros is 50 KB of gzip, which the server used to
   * inflate and parse before refusing (INVALID_ARGUMENT, "got 52428800"). Compressed messages are
   * now refused before they are read; uncompressed, the same image is over the 4 MB frame limit.
   */
  @Test
  void grpcRefusesCompressedMessagesUnreadAndOversizedOnesByTheirFrame() {
    var stub = GrpcChannels.inference(channel);
    var bomb = PredictRequest.newBuilder().setImage(image(50 * 1024 * 1024)).build();
    assertCode(() -> stub.withCompression("gzip").predict(bomb), Status.Code.UNIMPLEMENTED);
    var small = PredictRequest.newBuilder().setImage(image(784)).build();
    assertCode(() -> stub.withCompression("gzip").predict(small), Status.Code.UNIMPLEMENTED);
    assertCode(() -> stub.predict(bomb), Status.Code.RESOURCE_EXHAUSTED);
    assertThat(stub.predict(small).getPrediction().getTopCount()).isEqualTo(5);
  }

  @Test
  void everyRequestIsCountedOnTheMetricsEndpoint() {
    double requestsBefore =
        MetricsEndpoint.value(
            "nin_inference_requests_seconds_count{outcome=\"ok\",transport=\"rest\"}");
    double imagesBefore = MetricsEndpoint.value("nin_inference_images_total{transport=\"rest\"}");
    double batchesBefore = MetricsEndpoint.value("nin_inference_batch_size_count");
    given()
        .contentType("application/json")
        .body("{\"instances\":[" + values(784, "0") + "," + values(784, "0") + "]}")
        .post("/api/predict")
        .then()
        .statusCode(200);
    assertThat(
            MetricsEndpoint.value(
                "nin_inference_requests_seconds_count{outcome=\"ok\",transport=\"rest\"}"))
        .isEqualTo(requestsBefore + 1);
    assertThat(MetricsEndpoint.value("nin_inference_images_total{transport=\"rest\"}"))
        .isEqualTo(imagesBefore + 2);
    assertThat(MetricsEndpoint.value("nin_inference_batch_size_count"))
        .isGreaterThan(batchesBefore);
    assertThat(given().get("/q/metrics").asString()).contains("nin_inference_model_loads_total");
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private static void malformed(String body) {
    given()
        .contentType("application/json")
        .body(body)
        .post("/api/predict")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.endsWith("malformed-json"));
  }

  private static void problem(String body, int status, String field) {
    given()
        .contentType("application/json")
        .body(body)
        .post("/api/predict")
        .then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("field", equalTo(field));
  }

  private static String values(int count, String value) {
    return "[" + String.join(",", Collections.nCopies(count, value)) + "]";
  }

  private static Image image(int bytes) {
    return Image.newBuilder().setPixels(ByteString.copyFrom(new byte[bytes])).build();
  }

  private static byte[] image(String format, int width, int height) throws Exception {
    var picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = picture.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(picture, format, out)).isTrue();
    return out.toByteArray();
  }
}
