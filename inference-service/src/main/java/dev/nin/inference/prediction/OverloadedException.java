package dev.nin.inference.prediction;

/** The batching queue is full: HTTP 503 with Retry-After, gRPC RESOURCE_EXHAUSTED. */
public class OverloadedException extends RuntimeException {

  public OverloadedException(int queued, int capacity) {
    super(queued + " images are waiting (capacity " + capacity + "): retry shortly");
  }
}
