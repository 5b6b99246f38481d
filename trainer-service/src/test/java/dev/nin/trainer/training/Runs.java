package dev.nin.trainer.training;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Starting runs through the REST API, as a user would. */
public final class Runs {

  private Runs() {}

  /** POSTs the run to the trainer at {@code baseUri} and returns its id. */
  public static String post(String baseUri, String token, String json) {
    var request = given();
    if (baseUri != null) {
      request.baseUri(baseUri);
    }
    return request
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(json)
        .post("/api/runs")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
