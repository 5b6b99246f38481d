package dev.nin.inference.oip;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.client.RestPredictions;

/**
 * What the product's own API answers for the first images of the test set: every class's
 * probability from {@code POST /api/predict?topK=10}, row-major, to compare a protocol's answer
 * with.
 */
final class ApiPredictProbabilities {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiPredictProbabilities() {}

  static double[] of(byte[] pixels, int images) throws Exception {
    JsonNode own =
        JSON.readTree(
            given()
                .contentType("application/json")
                .queryParam("topK", 10)
                .body(RestPredictions.body(pixels, 0, images))
                .post("/api/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    double[] probabilities = new double[images * 10];
    for (int i = 0; i < images; i++) {
      for (JsonNode score : own.path("predictions").get(i).path("top")) {
        probabilities[i * 10 + score.path("label").asInt()] = score.path("probability").asDouble();
      }
    }
    return probabilities;
  }
}
