package dev.nin.core.training;

/**
 * How the model learns. Defaults are the seed's: Adam, learning rate 0.001.
 *
 * @param device where the graph runs; a GPU request without a GPU falls back to the CPU with a
 *     warning
 */
public record TrainingConfig(Optimizer optimizer, double learningRate, DeviceChoice device) {

  public TrainingConfig {
    if (optimizer == null || device == null) {
      throw new IllegalArgumentException("optimizer and device must be set");
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("learningRate must be in (0, 10], was " + learningRate);
    }
  }

  public static TrainingConfig chapter() {
    return new TrainingConfig(Optimizer.ADAM, 0.001, DeviceChoice.AUTO);
  }

  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(o, learningRate, device);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(optimizer, lr, device);
  }

  public TrainingConfig withDevice(DeviceChoice d) {
    return new TrainingConfig(optimizer, learningRate, d);
  }
}
