package dev.nin.core.training;

/** Loss and accuracy over a whole split, dropout off. */
public record Evaluation(long images, double loss, double top1, double top5) {}
