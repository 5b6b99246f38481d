package dev.nin.trainer.training;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The trainer with its training worker on, polling fast. */
public class WorkerProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "nin.trainer.worker-enabled", "true",
        "nin.trainer.poll-interval", "PT0.2S",
        "nin.trainer.heartbeat-interval", "PT1S",
        "nin.trainer.batch-timeout", "PT60S",
        "nin.trainer.device", "cpu");
  }
}
