package dev.nin.inference;

import static io.restassured.RestAssured.given;

/** Reads the service under test's Prometheus endpoint, {@code /q/metrics}. */
public final class MetricsEndpoint {

  private MetricsEndpoint() {}

  /**
   * The value of a series: a name alone ({@code nin_inference_model_decisions_total}) or with its
   * labels as Prometheus prints them; the first matching line counts, 0 when there is none yet.
   */
  public static double value(String series) {
    return dev.nin.testsupport.PrometheusText.value(given().get("/q/metrics").asString(), series)
        .orElse(0);
  }
}
