package dev.nin.inference.models;

/** No servable checkpoint has this id (it does not exist, or it is a resume-only checkpoint). */
public class UnknownCheckpointException extends RuntimeException {

  public UnknownCheckpointException(long checkpointId) {
    super("no servable checkpoint " + checkpointId);
  }
}
