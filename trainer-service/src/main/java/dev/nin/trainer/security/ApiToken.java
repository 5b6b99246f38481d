package dev.nin.trainer.security;

import dev.nin.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The configured bearer token. A normal-scoped bean, so the filter (built while the application
 * starts) reads the configuration only when a request arrives.
 */
@ApplicationScoped
public class ApiToken {

  private final byte[] token;

  ApiToken(TrainerConfig config) {
    this.token =
        config
            .apiToken()
            .filter(t -> !t.isBlank())
            .map(t -> t.getBytes(StandardCharsets.UTF_8))
            .orElse(null);
  }

  /** Constant-time comparison; false when no token is configured. */
  public boolean matches(String presented) {
    return token != null
        && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }
}
