package dev.nin.inference.prediction;

import dev.nin.inference.models.ModelVersion;

/** A request's answer from the model: which version answered, and one probability row an image. */
public record ScoredImages(ModelVersion version, float[][] probabilities) {}
