package dev.nin.core.training;

import dev.nin.contracts.BatchDigest;

/**
 * An epoch's running training figures. Saved with mid-epoch checkpoints, so a resumed epoch still
 * counts each of its images once. {@code seconds} is the time from asking for each batch to having
 * trained on it (so waiting on Kafka counts), across resumes. {@code batchDigest} fingerprints
 * which batches were applied ({@link BatchDigest}), to be checked against the run's topic.
 */
public record EpochProgress(
    long images, double lossSum, long top1, long top5, double seconds, long batchDigest) {

  public static EpochProgress start() {
    return new EpochProgress(0, 0, 0, 0, 0, 0);
  }

  /** After training on batch {@code index} of {@code epoch}. */
  public EpochProgress add(StepResult step, double stepSeconds, int epoch, int index) {
    return new EpochProgress(
        images + step.images(),
        lossSum + step.loss() * step.images(),
        top1 + step.top1Correct(),
        top5 + step.top5Correct(),
        seconds + stepSeconds,
        BatchDigest.add(batchDigest, epoch, index));
  }

  public double loss() {
    return images == 0 ? 0 : lossSum / images;
  }

  public double top1Accuracy() {
    return images == 0 ? 0 : (double) top1 / images;
  }

  public double top5Accuracy() {
    return images == 0 ? 0 : (double) top5 / images;
  }

  public double imagesPerSecond() {
    return seconds == 0 ? 0 : images / seconds;
  }
}
