package dev.nin.inference.models;

/** A checkpoint that must not serve; {@code stage} says which check refused it. */
public class CheckpointRejectedException extends Exception {

  /** The check that failed, also the {@code stage} tag of the rejection metric. */
  public enum Stage {
    FETCH,
    SHA256,
    UNPACK,
    LOAD,
    OUTPUT
  }

  private final Stage stage;

  public CheckpointRejectedException(Stage stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = stage;
  }

  public CheckpointRejectedException(Stage stage, String message) {
    this(stage, message, null);
  }

  public Stage stage() {
    return stage;
  }
}
