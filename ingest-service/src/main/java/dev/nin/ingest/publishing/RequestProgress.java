package dev.nin.ingest.publishing;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether training requests are going through: {@link TrainingRequestListener} reports each
 * attempt, {@link TrainingRequestReadiness} reads it. A request that keeps failing holds every
 * later one behind it, and that must not look healthy. (Whether the broker answers at all is the
 * channel's own readiness entry.)
 */
@ApplicationScoped
public class RequestProgress {

  private volatile int consecutiveFailures;
  private volatile String lastError;

  void succeeded() {
    consecutiveFailures = 0;
    lastError = null;
  }

  void failed(RuntimeException e) {
    consecutiveFailures++;
    lastError = e.getMessage();
  }

  /** Failed attempts since the last request that went through. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The newest failure's message, null when the last attempt went through. */
  public String lastError() {
    return lastError;
  }
}
