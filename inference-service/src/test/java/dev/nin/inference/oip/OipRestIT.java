package dev.nin.inference.oip;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol v2 over REST, written from the public spec (KServe's "V2 inference
 * protocol"): health, server and model metadata, inference with typed JSON tensors, the request id
 * echoed, versions, and the protocol's {@code {"error": …}} for every bad request. The answers are
 * the product's own: the same images give the probabilities {@code POST /api/predict} gives.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class OipRestIT {

  private static final int RESIZE = 67;
  private static final int IMAGES = 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static long version;
  private static final List<Long> older = new java.util.ArrayList<>();
  private static byte[] pixels;

  @BeforeEach
  void aCheckpointServes() throws Exception {
    if (pixels != null) {
      return; // once for the class (RestAssured knows the port from the first test on)
    }
    for (int seed = 21; seed <= 23; seed++) {
      older.add(Checkpoints.insert(Checkpoints.untrainedModelZip(seed, RESIZE), RESIZE, 0.1));
    }
    version = Checkpoints.insert(Checkpoints.untrainedModelZip(11, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(version);
    Checkpoints.awaitServing(version);
    pixels = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST).pixels();
  }

  @Test
  void healthAndMetadataDescribeTheModelAndItsServingVersion() {
    given().get("/v2/health/live").then().statusCode(200);
    given().get("/v2/health/ready").then().statusCode(200);
    given().get("/v2").then().statusCode(200).extract().path("name").equals("nin-inference");
    given().get("/v2/models/nin/ready").then().statusCode(200);
    given().get("/v2/models/nin/versions/" + version + "/ready").then().statusCode(200);

    var model = given().get("/v2/models/nin").then().statusCode(200).extract().jsonPath();
    assertThat(model.getString("name")).isEqualTo("nin");
    assertThat(model.getList("versions", String.class))
        .as("the serving version first, then the other servable checkpoints")
        .startsWith(String.valueOf(version))
        .containsAll(older.stream().map(String::valueOf).toList());
    assertThat(model.getString("inputs[0].name")).isEqualTo("image");
    assertThat(model.getString("inputs[0].datatype")).isEqualTo("UINT8");
    assertThat(model.getList("inputs[0].shape")).containsExactly(-1, 28, 28, 1);
    assertThat(model.getList("outputs.name")).containsExactly("probs", "logits");
    assertThat(model.getList("outputs[0].shape")).containsExactly(-1, 10);
    given().get("/v2/models/nin/versions/" + version).then().statusCode(200);
  }

  @Test
  void anInferenceGivesTheProbabilitiesOfApiPredictAndTheLogitsBehindThem() throws Exception {
    JsonNode answer = infer("/v2/models/nin/infer", request("req-7", "UINT8", flat(IMAGES)), 200);

    assertThat(answer.path("model_name").asText()).isEqualTo("nin");
    assertThat(answer.path("model_version").asText()).isEqualTo(String.valueOf(version));
    assertThat(answer.path("id").asText()).isEqualTo("req-7");
    JsonNode probs = output(answer, "probs");
    JsonNode logits = output(answer, "logits");
    assertThat(probs.path("datatype").asText()).isEqualTo("FP32");
    assertThat(JSON.convertValue(probs.path("shape"), int[].class)).containsExactly(IMAGES, 10);
    assertThat(probs.path("data").size()).isEqualTo(IMAGES * 10);

    double[] own = ApiPredictProbabilities.of(pixels, IMAGES);
    for (int i = 0; i < IMAGES; i++) {
      double expSum = 0;
      for (int c = 0; c < 10; c++) {
        expSum += Math.exp(logits.path("data").get(i * 10 + c).asDouble());
      }
      for (int c = 0; c < 10; c++) {
        double p = probs.path("data").get(i * 10 + c).asDouble();
        assertThat(p).as("image %d class %d", i, c).isCloseTo(own[i * 10 + c], within(1e-6));
        assertThat(Math.exp(logits.path("data").get(i * 10 + c).asDouble()) / expSum)
            .as("softmax of the logits")
            .isCloseTo(p, within(1e-5));
      }
    }
  }

  @Test
  void aServableVersionDownloadsAsItsSavedModelZipAndACorruptOneDoesNot() throws Exception {
    var download = given().get("/api/checkpoints/" + version + "/savedmodel").then();
    download.statusCode(200).contentType("application/zip");
    byte[] zip = download.extract().asByteArray();
    assertThat(download.extract().header("X-Checkpoint-SHA256"))
        .isEqualTo(dev.nin.core.checkpoint.Sha256.hex(zip))
        .isEqualTo(Checkpoints.sha256Of(version));
    assertThat(download.extract().header("Content-Disposition"))
        .contains("nin-checkpoint-" + version + ".zip");

    long corrupt =
        Checkpoints.insert(
            Checkpoints.untrainedModelZip(24, RESIZE), "00" + "ab".repeat(31), RESIZE, 0.1);
    given().get("/api/checkpoints/" + corrupt + "/savedmodel").then().statusCode(500);
    given().get("/api/checkpoints/999999999/savedmodel").then().statusCode(404);
    given()
        .get("/api/checkpoints/abc/savedmodel")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void fp32PixelsNestedDataAndAVersionedRequestGiveTheSameAnswer() throws Exception {
    JsonNode plain = infer("/v2/models/nin/infer", request(null, "UINT8", flat(3)), 200);
    JsonNode floats = infer("/v2/models/nin/infer", request(null, "FP32", flat(3)), 200);
    JsonNode nested = infer("/v2/models/nin/infer", request(null, "UINT8", nested(3)), 200);
    JsonNode versioned =
        infer(
            "/v2/models/nin/versions/" + version + "/infer", request(null, "UINT8", flat(3)), 200);
    JsonNode onlyProbs =
        infer(
            "/v2/models/nin/infer",
            request(null, "UINT8", flat(3))
                .replace("}]}", "}], \"outputs\": [{\"name\": \"probs\"}]}"),
            200);

    for (JsonNode other : List.of(floats, nested, versioned)) {
      assertThat(output(other, "probs").path("data"))
          .isEqualTo(output(plain, "probs").path("data"));
    }
    assertThat(onlyProbs.path("outputs").size()).isEqualTo(1);
    assertThat(plain.has("id")).isFalse();
  }

  @Test
  void anOlderVersionAnswersByIdWhileTheServingOneKeepsServingAndTheCacheStaysBounded()
      throws Exception {
    JsonNode old =
        infer(
            "/v2/models/nin/versions/" + older.get(0) + "/infer",
            request(null, "UINT8", flat(2)),
            200);
    JsonNode serving = infer("/v2/models/nin/infer", request(null, "UINT8", flat(2)), 200);

    assertThat(old.path("model_version").asText()).isEqualTo(String.valueOf(older.get(0)));
    assertThat(serving.path("model_version").asText()).isEqualTo(String.valueOf(version));
    assertThat(output(old, "probs").path("data"))
        .as("another checkpoint's weights answered")
        .isNotEqualTo(output(serving, "probs").path("data"));
    given()
        .get("/api/model")
        .then()
        .body("active.checkpointId", org.hamcrest.Matchers.equalTo((int) version));
    given().get("/v2/models/nin/versions/" + older.get(0) + "/ready").then().statusCode(200);

    // three older versions through a cache of two (nin.inference.versions.cache-size)
    for (long id : older) {
      infer("/v2/models/nin/versions/" + id + "/infer", request(null, "UINT8", flat(1)), 200);
    }
    assertThat(dev.nin.inference.MetricsEndpoint.value("nin_inference_version_cache_models"))
        .isEqualTo(2.0);
    assertThat(dev.nin.inference.MetricsEndpoint.value("nin_inference_version_cache_bytes"))
        .isPositive();
    // the evicted one loads again when asked for
    JsonNode again =
        infer(
            "/v2/models/nin/versions/" + older.get(0) + "/infer",
            request(null, "UINT8", flat(2)),
            200);
    assertThat(output(again, "probs").path("data")).isEqualTo(output(old, "probs").path("data"));
  }

  @Test
  void everyBadRequestGetsTheProtocolsErrorAndTheRightStatus() throws Exception {
    String good = request("x", "UINT8", flat(1));
    Map<String, Integer> cases =
        Map.ofEntries(
            Map.entry(good.replace("UINT8", "INT64"), 400),
            Map.entry(good.replace("[1, 28, 28, 1]", "[1, 784]"), 400),
            Map.entry(good.replace("[1, 28, 28, 1]", "[2, 28, 28, 1]"), 400),
            Map.entry(good.replace("\"data\": [", "\"data\": [256, "), 400),
            Map.entry(good.replace("\"data\": [", "\"data\": [\"7\", "), 400),
            Map.entry(
                request(null, "FP32", flat(1)).replace("\"data\": [", "\"data\": [1.5, "), 400),
            Map.entry(good.replace("\"name\": \"image\"", "\"name\": \"pixels\""), 400),
            Map.entry(good.replace("}]}", "}], \"outputs\": [{\"name\": \"features\"}]}"), 400),
            Map.entry(good.replace("[1, 28, 28, 1]", "[257, 28, 28, 1]"), 413),
            Map.entry("{", 400),
            Map.entry("[1, 2]", 400),
            Map.entry("{\"inputs\": []}", 400));
    for (var c : cases.entrySet()) {
      JsonNode error = infer("/v2/models/nin/infer", c.getKey(), c.getValue());
      assertThat(error.path("error").asText()).as(abbreviate(c.getKey())).isNotBlank();
      assertThat(error.has("type")).as("not problem JSON").isFalse();
    }
    assertThat(infer("/v2/models/resnet/infer", good, 404).path("error").asText())
        .contains("resnet");
    assertThat(infer("/v2/models/nin/versions/999999/infer", good, 404).path("error").asText())
        .contains("999999");
    given().get("/v2/models/resnet").then().statusCode(404);
    given().get("/v2/models/nin/versions/999999").then().statusCode(404);
  }

  @Test
  void theLargestRequestIsAnsweredWhetherItsBodyIsReadOnAnEventLoopOrAWorker() throws Exception {
    // 10 images (~30 KB of JSON) are read on the event loop, 256 (~0.8 MB) on a worker thread:
    // the service refuses to parse such a body on an event loop, so this fails with a 500 if the
    // hand-off is lost
    String small = request("small", "UINT8", flat(10));
    String large = request("large", "UINT8", flat(256));
    assertThat(small.length()).isLessThan(OipResource.EVENT_LOOP_MAX_BODY_BYTES);
    assertThat(large.length()).isGreaterThan(OipResource.EVENT_LOOP_MAX_BODY_BYTES);

    JsonNode answer = infer("/v2/models/nin/infer", large, 200);

    assertThat(answer.path("id").asText()).isEqualTo("large");
    assertThat(JSON.convertValue(output(answer, "probs").path("shape"), int[].class))
        .containsExactly(256, 10);
    assertThat(infer("/v2/models/nin/infer", small, 200).path("id").asText()).isEqualTo("small");
  }

  private static JsonNode infer(String path, String body, int status) throws Exception {
    return JSON.readTree(
        given()
            .contentType("application/json")
            .body(body)
            .post(path)
            .then()
            .statusCode(status)
            .extract()
            .asString());
  }

  private static JsonNode output(JsonNode answer, String name) {
    for (JsonNode o : answer.path("outputs")) {
      if (o.path("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no output " + name + " in " + abbreviate(answer.toString()));
  }

  private static String request(String id, String datatype, String data) {
    long images = data.replaceAll("[\\[\\]\\s]", "").split(",").length / 784;
    return "{"
        + (id == null ? "" : "\"id\": \"" + id + "\", ")
        + "\"inputs\": [{\"name\": \"image\", \"datatype\": \""
        + datatype
        + "\", \"shape\": ["
        + images
        + ", 28, 28, 1], \"data\": "
        + data
        + "}]}";
  }

  /** The first {@code n} test images as one flat row-major array. */
  private static String flat(int n) {
    var json = new StringBuilder("[");
    for (int i = 0; i < n * 784; i++) {
      json.append(i == 0 ? "" : ", ").append(pixels[i] & 0xff);
    }
    return json.append(']').toString();
  }

  /** The same as nested arrays [n][28][28][1]. */
  private static String nested(int n) {
    var json = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "[" : ", [");
      for (int y = 0; y < 28; y++) {
        json.append(y == 0 ? "[" : ", [");
        for (int x = 0; x < 28; x++) {
          json.append(x == 0 ? "[" : ", [").append(pixels[i * 784 + y * 28 + x] & 0xff).append(']');
        }
        json.append(']');
      }
      json.append(']');
    }
    return json.append(']').toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
