package dev.nin.inference.prediction;

/** A request over a configured limit: HTTP 413, gRPC RESOURCE_EXHAUSTED. */
public class TooLargeException extends RuntimeException {

  public TooLargeException(String message) {
    super(message);
  }
}
