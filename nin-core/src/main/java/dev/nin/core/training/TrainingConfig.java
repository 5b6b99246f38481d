package dev.nin.core.training;

/**
 * How the model learns. Defaults are the seed's: Adam, learning rate 0.001, no warm-up.
 *
 * @param warmupSteps steps over which the learning rate rises linearly to {@code learningRate}
 *     (step s trains at {@code learningRate · min(1, (s + 1) / warmupSteps)}); 0 trains at the full
 *     rate from the first step, as the chapter does
 * @param schedule how the rate moves after the warm-up over {@code decaySteps}: held ({@link
 *     Schedule#CONSTANT}, the chapter's), along a half cosine to zero ({@link Schedule#COSINE}), or
 *     divided by ten at half and again at three quarters of them ({@link Schedule#STEP})
 * @param decaySteps the steps the schedule spans; a run sets it to its own length in steps. 0 keeps
 *     the rate constant whatever the schedule
 * @param weightDecay λ of decoupled weight decay (AdamW, Loshchilov and Hutter): every step first
 *     shrinks each convolution kernel by {@code lr · λ} of itself, then applies the optimizer's
 *     update; biases are not decayed. 0 decays nothing, as the chapter
 * @param averageDecay the decay of an exponential moving average of the weights (Polyak averaging),
 *     which evaluation, export and serving then use instead of the last step's weights; 0 keeps no
 *     average, as the chapter. The average warms up as TF's does: step t decays by {@code
 *     min(averageDecay, (1 + t) / (10 + t))}.
 * @param labelSmoothing ε of label smoothing: training targets are {@code 1 - ε + ε/K} for the
 *     label and {@code ε/K} for the other K - 1 classes; 0 trains on one-hot targets, as the
 *     chapter. Evaluation losses are always against one-hot labels, so they compare across
 *     settings; training losses (steps and epochs) are against the smoothed targets, so with ε > 0
 *     they cannot fall below the targets' entropy (about 0.50 at ε = 0.1)
 * @param device where the graph runs; a GPU request without a GPU falls back to the CPU with a
 *     warning
 * @param precision the arithmetic of the network: {@code FP32}, as the chapter, {@code BF16}
 *     (bfloat16 compute in the feature blocks, float32 weights), or {@code AUTO} (bf16 where the
 *     hardware has it; the trainer resolves it, see {@link NinTrainer#precision()})
 */
public record TrainingConfig(
    Optimizer optimizer,
    double learningRate,
    int warmupSteps,
    Schedule schedule,
    long decaySteps,
    double weightDecay,
    double averageDecay,
    double labelSmoothing,
    DeviceChoice device,
    Precision precision) {

  /** The largest warm-up accepted: ten epochs of the full split at batch 128. */
  public static final int LARGEST_WARMUP = 4_690;

  public TrainingConfig {
    if (optimizer == null || device == null || precision == null || schedule == null) {
      throw new IllegalArgumentException("optimizer, schedule, device and precision must be set");
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("learningRate must be in (0, 10], was " + learningRate);
    }
    if (warmupSteps < 0 || warmupSteps > LARGEST_WARMUP) {
      throw new IllegalArgumentException(
          "warmupSteps must be in [0, " + LARGEST_WARMUP + "], was " + warmupSteps);
    }
    if (!(averageDecay >= 0 && averageDecay < 1)) {
      throw new IllegalArgumentException("averageDecay must be in [0, 1), was " + averageDecay);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1), was " + labelSmoothing);
    }
    if (decaySteps < 0) {
      throw new IllegalArgumentException("decaySteps must be 0 or more, was " + decaySteps);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("weightDecay must be in [0, 1), was " + weightDecay);
    }
  }

  /** The chapter's optimizer and rate, without warm-up, schedule or weight decay, in float32. */
  public static TrainingConfig chapter() {
    return new TrainingConfig(
        Optimizer.ADAM,
        dev.nin.core.model.Chapter.LEARNING_RATE,
        0,
        Schedule.CONSTANT,
        0,
        0,
        0,
        0,
        DeviceChoice.AUTO,
        Precision.FP32);
  }

  /** The rate step {@code step} (counted from 1, as {@link StepResult#step()} counts) trains at. */
  public double learningRateAt(long step) {
    double warm = warmupSteps == 0 ? 1.0 : Math.min(1.0, (double) step / warmupSteps);
    // the graph decays from the global step before the update, which counts from 0
    return learningRate * warm * schedule.factor(step - 1, decaySteps);
  }

  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(
        o,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(
        optimizer,
        lr,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  public TrainingConfig withWarmupSteps(int steps) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        steps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  /** The rate after the warm-up follows {@code s} over {@code steps} steps. */
  public TrainingConfig withSchedule(Schedule s, long steps) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        s,
        steps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  public TrainingConfig withWeightDecay(double lambda) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        lambda,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  public TrainingConfig withAverageDecay(double decay) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        decay,
        labelSmoothing,
        device,
        precision);
  }

  public TrainingConfig withLabelSmoothing(double epsilon) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        epsilon,
        device,
        precision);
  }

  /** Whether evaluation and export use a moving average of the weights. */
  public boolean averagesWeights() {
    return averageDecay > 0;
  }

  /** Whether the rate moves after its warm-up. */
  public boolean decays() {
    return schedule != Schedule.CONSTANT && decaySteps > 0;
  }

  public TrainingConfig withDevice(DeviceChoice d) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        d,
        precision);
  }

  public TrainingConfig withPrecision(Precision p) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        decaySteps,
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        p);
  }
}
