package dev.nin.core.training;

/**
 * One training step: the batch's mean loss and how many of its images were right in the top 1 and
 * top 5, measured on the forward pass the step trained on (dropout active).
 */
public record StepResult(long step, int images, double loss, int top1Correct, int top5Correct) {

  public double top1() {
    return (double) top1Correct / images;
  }

  public double top5() {
    return (double) top5Correct / images;
  }
}
