package dev.nin.core.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the learning rate moves after its warm-up over a run's steps: held, as the chapter does, or
 * decayed. The graph computes the same factors from its global step (NinTrainer); {@link #factor}
 * is the reference both the step log and the tests read.
 */
public enum Schedule {
  /** The chapter's: the rate stays where the warm-up left it. */
  CONSTANT,
  /** A half cosine from the full rate to zero over the run's steps. */
  COSINE,
  /**
   * Divided by ten at half of the run's steps and by ten again at three quarters: the classic step
   * schedule (as ResNet's 30/60/90 epochs), with milestones that follow the run's length.
   */
  STEP;

  /** The rate's divisor at each of {@link #STEP}'s milestones. */
  public static final double STEP_GAMMA = 0.1;

  /**
   * Its name as the API and the database spell it: {@code constant}, {@code cosine}, {@code step}.
   */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The steps this schedule spans in a run {@code totalSteps} long (0: no decay). */
  public long decaySteps(long totalSteps) {
    return this == CONSTANT ? 0 : totalSteps;
  }

  /** {@link #STEP}'s first milestone: the global step from which the rate is divided by ten. */
  public static long firstMilestone(long decaySteps) {
    return decaySteps / 2;
  }

  /** {@link #STEP}'s second milestone: from here the rate is divided by a hundred. */
  public static long secondMilestone(long decaySteps) {
    return decaySteps * 3 / 4;
  }

  /**
   * The factor on the warmed-up rate at global step {@code done} (0 for the first update) of a
   * schedule spanning {@code decaySteps}; 1 when it spans none.
   */
  public double factor(long done, long decaySteps) {
    if (decaySteps == 0) {
      return 1.0;
    }
    return switch (this) {
      case CONSTANT -> 1.0;
      case COSINE -> (1 + Math.cos(Math.PI * Math.min(done, decaySteps) / decaySteps)) / 2;
      case STEP ->
          done >= secondMilestone(decaySteps)
              ? STEP_GAMMA * STEP_GAMMA
              : done >= firstMilestone(decaySteps) ? STEP_GAMMA : 1.0;
    };
  }

  /**
   * {@code constant}, {@code cosine} or {@code step}, in any case (the API's and the CLI's words).
   */
  public static Schedule parse(String name) {
    for (Schedule s : values()) {
      if (s.id().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "schedule must be constant, cosine or step, was '" + name + "'");
  }
}
