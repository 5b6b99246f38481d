package dev.nin.trainer.runs;

/** The life of a run: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
