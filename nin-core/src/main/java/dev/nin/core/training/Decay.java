package dev.nin.core.training;

import java.util.Locale;

/** How the learning rate falls over a run: not at all (the chapter) or along a half cosine. */
public enum Decay {
  NONE,
  /** To zero at the run's last step: {@link TrainingConfig#decaySteps()} is the run's length. */
  COSINE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code none} or {@code cosine}, in any case. */
  public static Decay parse(String name) {
    for (Decay d : values()) {
      if (d.id().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("decay must be none or cosine, was '" + name + "'");
  }
}
