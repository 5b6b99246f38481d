package dev.nin.inference.oip;

/** A request the Open Inference Protocol answers with {@code {"error": "…"}} and this status. */
public class OipException extends RuntimeException {

  private final int status;

  public OipException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
