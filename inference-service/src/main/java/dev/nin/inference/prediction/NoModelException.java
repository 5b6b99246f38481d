package dev.nin.inference.prediction;

/** No model serves yet (none trained, or none passed its checks): HTTP 503, gRPC UNAVAILABLE. */
public class NoModelException extends RuntimeException {

  public NoModelException() {
    super("no model is serving yet: train a run until its first epoch checkpoint");
  }
}
