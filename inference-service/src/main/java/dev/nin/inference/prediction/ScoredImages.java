package dev.nin.inference.prediction;

import dev.nin.inference.models.ModelVersion;

/**
 * A request's answer from the model: which version answered, and one row of probabilities and one
 * of logits an image (logits null for a model exported without them).
 */
public record ScoredImages(ModelVersion version, float[][] probabilities, float[][] logits) {}
