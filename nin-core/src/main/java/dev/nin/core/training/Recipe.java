package dev.nin.core.training;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.nin.core.model.WeightInit;
import java.util.Locale;

/**
 * How a run starts, by name: the initialisation and the learning-rate warm-up. Everything else
 * (Adam at 0.001, batch 128, the layers) is the chapter's in both; only the classifier's initial
 * bias differs today, and the warm-up is here so that a measured one can join a recipe by name.
 */
public enum Recipe {
  /**
   * The product's default: Glorot-uniform with the classifier's bias open (10), so that no class
   * channel of the ReLU classifier closes for good (docs/performance.md, "Converge on every seed").
   */
  DEFAULT(WeightInit.GLOROT_UNIFORM_LIVE_CLASSIFIER, TrainingConfig.DEFAULT_WARMUP_STEPS, 0, 0),
  /** The chapter as printed: Glorot-uniform kernels, zero biases, Adam at 0.001 from step 1. */
  CHAPTER(WeightInit.GLOROT_UNIFORM, 0, 0, 0);

  private final WeightInit init;
  private final int warmupSteps;
  private final double averageDecay;
  private final double labelSmoothing;

  Recipe(WeightInit init, int warmupSteps, double averageDecay, double labelSmoothing) {
    this.init = init;
    this.warmupSteps = warmupSteps;
    this.averageDecay = averageDecay;
    this.labelSmoothing = labelSmoothing;
  }

  /** ε of the label smoothing the recipe trains with; 0: one-hot targets, as the chapter. */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  /** The decay of the weights' moving average that evaluation and export use; 0: none. */
  public double averageDecay() {
    return averageDecay;
  }

  public WeightInit init() {
    return init;
  }

  public int warmupSteps() {
    return warmupSteps;
  }

  /** Its name as the API and the command line spell it: {@code default}, {@code chapter}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code default} or {@code chapter}, in any case. */
  public static Recipe parse(String name) {
    for (Recipe r : values()) {
      if (r.id().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("recipe must be default or chapter, was '" + name + "'");
  }
}
