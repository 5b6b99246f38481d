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

  /** Waits (up to {@code minutes}) until the run at the trainer at {@code baseUri} SUCCEEDED. */
  public static void awaitSucceeded(String baseUri, String id, int minutes) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofMinutes(minutes))
        .pollInterval(java.time.Duration.ofSeconds(1))
        .until(
            () -> {
              var request = given();
              if (baseUri != null) {
                request.baseUri(baseUri);
              }
              return "SUCCEEDED"
                  .equals(request.get("/api/runs/" + id).then().extract().path("status"));
            });
  }

  /**
   * Cancels every queued or running run, so that runs other tests queued do not hold the worker.
   */
  public static void cancelEveryOtherRun(javax.sql.DataSource dataSource) throws Exception {
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "update training_run set cancel_requested = true,"
                    + " status = case when status = 'QUEUED' then 'CANCELLED' else status end"
                    + " where status in ('QUEUED', 'RUNNING')")) {
      s.executeUpdate();
    }
  }
}
