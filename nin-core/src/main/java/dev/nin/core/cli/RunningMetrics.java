package dev.nin.core.cli;

import dev.nin.core.training.StepResult;

/** An epoch's running loss, accuracy and throughput, as the seed's log prints them. */
final class RunningMetrics {

  private final long started = System.nanoTime();
  private long images;
  private double lossSum;
  private long top1;
  private long top5;

  void add(StepResult step) {
    images += step.images();
    lossSum += step.loss() * step.images();
    top1 += step.top1Correct();
    top5 += step.top5Correct();
  }

  double loss() {
    return lossSum / images;
  }

  double top1() {
    return (double) top1 / images;
  }

  double top5() {
    return (double) top5 / images;
  }

  double imagesPerSecond() {
    return images / ((System.nanoTime() - started) / 1e9);
  }
}
