package dev.nin.trainer.checkpoints;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a checkpoint row is; its {@link #id()} is what the {@code checkpoint.kind} column holds. */
public enum CheckpointKind {
  /** Written at an epoch's end: evaluated on the test split, with a SavedModel, servable. */
  EPOCH,
  /** Written mid-epoch every {@code checkpointEverySteps}: training state only, to resume. */
  RESUME;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CheckpointKind of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
