package dev.nin.ingest.publishing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the training-request listener keeps failing: a request that will not go through holds
 * every later one behind it, and that must not look healthy.
 */
@Readiness
@ApplicationScoped
public class TrainingRequestReadiness implements HealthCheck {

  /** Two failures in a row can be a broker restart; three (about six seconds) are a stall. */
  static final int TOLERATED_FAILURES = 2;

  private final TrainingRequestListener listener;

  TrainingRequestReadiness(TrainingRequestListener listener) {
    this.listener = listener;
  }

  @Override
  public HealthCheckResponse call() {
    var status = listener.status();
    return HealthCheckResponse.named("training-requests")
        .status(status.progressing(TOLERATED_FAILURES))
        .withData("consecutiveFailures", status.consecutiveFailures())
        .withData("lastError", status.lastError() == null ? "" : status.lastError())
        .build();
  }
}
