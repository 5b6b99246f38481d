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

  private final RequestProgress progress;

  TrainingRequestReadiness(RequestProgress progress) {
    this.progress = progress;
  }

  @Override
  public HealthCheckResponse call() {
    int failures = progress.consecutiveFailures();
    String lastError = progress.lastError();
    return HealthCheckResponse.named("training-requests")
        .status(failures <= TOLERATED_FAILURES)
        .withData("consecutiveFailures", failures)
        .withData("lastError", lastError == null ? "" : lastError)
        .build();
  }
}
