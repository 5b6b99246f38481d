package dev.nin.ingest.publishing;

/** A run request that cannot be published; the reason goes to the dead-letter topic. */
public class InvalidRequestException extends Exception {

  public InvalidRequestException(String reason) {
    super(reason);
  }
}
