package dev.nin.ingest.publishing;

/**
 * A run's topic already holds records that are not the start of this run's stream: written by
 * someone else, or by another request for the same run id. Retrying cannot fix that, so the request
 * goes to the dead letters with this reason and the next request proceeds.
 */
public class RunTopicConflictException extends RuntimeException {

  public RunTopicConflictException(String message) {
    super(message);
  }
}
