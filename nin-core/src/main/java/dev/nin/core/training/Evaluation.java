package dev.nin.core.training;

/**
 * Loss and accuracy over a whole split, dropout off.
 *
 * @param classes recall per class, the classes never predicted and the confusion matrix, from the
 *     same forward passes
 * @param seconds how long the evaluation took, reading the batches included
 */
public record Evaluation(
    long images, double loss, double top1, double top5, ClassRecall classes, double seconds) {}
