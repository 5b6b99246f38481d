package dev.nin.trainer.training;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The trainer with its training worker on, polling fast. */
public class WorkerProfile implements QuarkusTestProfile {

  /** Where runs in these tests write their TensorBoard event files. */
  public static final java.nio.file.Path TENSORBOARD_DIR =
      java.nio.file.Path.of("target", "tensorboard").toAbsolutePath();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "nin.trainer.worker-enabled", "true",
        "nin.trainer.poll-interval", "PT0.2S",
        "nin.trainer.heartbeat-interval", "PT1S",
        "nin.trainer.batch-timeout", "PT60S",
        "nin.trainer.device", "cpu",
        "nin.trainer.tensorboard-dir", TENSORBOARD_DIR.toString());
  }
}
