package dev.nin.core.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the learning rate moves after its warm-up: held, as the chapter does, or decayed. */
public enum Schedule {
  /** The chapter's: the rate stays where the warm-up left it. */
  CONSTANT,
  /** A half cosine from the full rate to zero over the run's steps ({@link TrainingConfig}). */
  COSINE;

  /** Its name as the API and the database spell it: {@code constant}, {@code cosine}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The decay steps of a run {@code totalSteps} long under this schedule (0: no decay). */
  public long decaySteps(long totalSteps) {
    return this == COSINE ? totalSteps : 0;
  }

  /** {@code constant} or {@code cosine}, in any case (the API's and the command line's words). */
  public static Schedule parse(String name) {
    for (Schedule s : values()) {
      if (s.id().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("schedule must be constant or cosine, was '" + name + "'");
  }
}
