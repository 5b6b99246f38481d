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
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }
}
