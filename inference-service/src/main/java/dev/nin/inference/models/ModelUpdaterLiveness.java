package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * The model updater's loop, at {@code /q/health/live}: down when its last poll of the catalogue
 * ended longer ago than six poll intervals (at least two minutes). A replica whose loop hangs still
 * answers with the model it holds, but never learns of a better one or of a pin; only a restart
 * mends it, which is what a failed liveness probe asks for. A database outage does not take it
 * down: a poll that fails ends, and counts; a partition that drops packets ends it too, as the JDBC
 * socket timeout (60 s, application.properties) is under the limit.
 */
@Liveness
@ApplicationScoped
public class ModelUpdaterLiveness implements HealthCheck {

  private final ModelUpdater updater;
  private final Duration limit;

  ModelUpdaterLiveness(ModelUpdater updater, InferenceConfig config) {
    this.updater = updater;
    this.limit = limit(config.pollInterval());
  }

  /** Six poll intervals, and never less than two minutes (a slow model load is not a hang). */
  static Duration limit(Duration pollInterval) {
    Duration six = pollInterval.multipliedBy(6);
    Duration floor = Duration.ofMinutes(2);
    return six.compareTo(floor) > 0 ? six : floor;
  }

  /** Alive while the last poll ended at most {@code limit} ago. */
  static boolean alive(Duration sinceLastPoll, Duration limit) {
    return sinceLastPoll.compareTo(limit) <= 0;
  }

  @Override
  public HealthCheckResponse call() {
    Duration since = updater.sinceLastPoll();
    return HealthCheckResponse.named("model-updater")
        .status(alive(since, limit))
        .withData("secondsSinceLastPoll", since.toSeconds())
        .withData("limitSeconds", limit.toSeconds())
        .build();
  }
}
