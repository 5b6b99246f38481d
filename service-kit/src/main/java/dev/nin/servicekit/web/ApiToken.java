package dev.nin.servicekit.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bearer token that every mutating endpoint of every service requires ({@code nin.api-token},
 * from {@code NIN_API_TOKEN}). Unset, every mutation is refused (403): a service never runs open by
 * accident. A normal-scoped bean, so the filter (built while the application starts) reads the
 * configuration only when a request arrives.
 */
@ApplicationScoped
public class ApiToken {

  private final byte[] token;

  ApiToken(@ConfigProperty(name = "nin.api-token") Optional<String> configured) {
    this.token =
        configured
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
