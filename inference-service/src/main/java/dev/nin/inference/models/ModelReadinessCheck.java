package dev.nin.inference.models;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a model serves: no traffic reaches a replica that could only answer 503. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

  private final ActiveModel active;

  ModelReadinessCheck(ActiveModel active) {
    this.active = active;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("model");
    return active
        .version()
        .map(
            v ->
                response
                    .up()
                    .withData("checkpointId", v.checkpointId())
                    .withData("runId", v.runId())
                    .withData("epoch", v.epoch())
                    .build())
        .orElseGet(() -> response.down().withData("reason", "no model loaded yet").build());
  }
}
