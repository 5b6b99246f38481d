package dev.nin.inference.prediction;

/**
 * The JSON body of {@code POST /api/predict}: one image as {@code pixels} (784 values 0–255,
 * row-major), or up to 256 as {@code instances}.
 */
public record PredictRequest(double[] pixels, double[][] instances) {}
