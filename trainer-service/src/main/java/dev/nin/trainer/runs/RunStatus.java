package dev.nin.trainer.runs;

/**
 * The life of a run: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED | STOPPED_EARLY. A run ends
 * STOPPED_EARLY when its sweep's rung rule or its own plateau patience judged its remaining epochs
 * not worth training: it did not fail, and its checkpoints are as good as any.
 */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  STOPPED_EARLY;

  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
