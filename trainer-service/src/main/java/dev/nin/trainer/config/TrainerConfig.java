package dev.nin.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** trainer-service settings ({@code nin.trainer.*}, or NIN_TRAINER_* variables). */
@ConfigMapping(prefix = "nin.trainer")
public interface TrainerConfig {

  /**
   * Bearer token that starting and cancelling runs require. Unset, every mutation is refused (403):
   * a trainer never runs open by accident.
   */
  Optional<String> apiToken();

  /** Largest {@code epochs} a run may ask for. */
  @WithDefault("1000")
  int maxEpochs();
}
