package dev.nin.core.training;

/**
 * How the model learns. Defaults are the seed's: Adam, learning rate 0.001, no warm-up.
 *
 * @param warmupSteps steps over which the learning rate rises linearly to {@code learningRate}
 *     (step s trains at {@code learningRate · min(1, (s + 1) / warmupSteps)}); 0 trains at the full
 *     rate from the first step, as the chapter does
 * @param device where the graph runs; a GPU request without a GPU falls back to the CPU with a
 *     warning
 */
public record TrainingConfig(
    Optimizer optimizer, double learningRate, int warmupSteps, DeviceChoice device) {

  /** The largest warm-up accepted: ten epochs of the full split at batch 128. */
  public static final int LARGEST_WARMUP = 4_690;

  /**
   * No warm-up by default: as the chapter. Warm-ups of 100, 200 and 300 steps were measured against
   * a class dying on seed 7 at 67 px and did not prevent it (two of three still lost Pullover); the
   * open classifier bias did (docs/performance.md, "Converge on every seed").
   */
  public static final int DEFAULT_WARMUP_STEPS = 0;

  public TrainingConfig {
    if (optimizer == null || device == null) {
      throw new IllegalArgumentException("optimizer and device must be set");
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("learningRate must be in (0, 10], was " + learningRate);
    }
    if (warmupSteps < 0 || warmupSteps > LARGEST_WARMUP) {
      throw new IllegalArgumentException(
          "warmupSteps must be in [0, " + LARGEST_WARMUP + "], was " + warmupSteps);
    }
  }

  /** The chapter's optimizer and rate, without warm-up. */
  public static TrainingConfig chapter() {
    return new TrainingConfig(Optimizer.ADAM, 0.001, DEFAULT_WARMUP_STEPS, DeviceChoice.AUTO);
  }

  /** The rate step {@code step} (counted from 1, as {@link StepResult#step()} counts) trains at. */
  public double learningRateAt(long step) {
    return warmupSteps == 0
        ? learningRate
        : learningRate * Math.min(1.0, (double) step / warmupSteps);
  }

  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(o, learningRate, warmupSteps, device);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(optimizer, lr, warmupSteps, device);
  }

  public TrainingConfig withWarmupSteps(int steps) {
    return new TrainingConfig(optimizer, learningRate, steps, device);
  }

  public TrainingConfig withDevice(DeviceChoice d) {
    return new TrainingConfig(optimizer, learningRate, warmupSteps, d);
  }
}
