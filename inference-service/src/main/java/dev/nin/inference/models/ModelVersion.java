package dev.nin.inference.models;

import java.time.Instant;

/**
 * Which checkpoint answers: what every prediction reports, and what the catalog lists.
 *
 * @param sha256 the SavedModel zip's SHA-256 (the bytes served)
 * @param weightsSha256 the weights' digest (what the model is, whatever zip carries it); null for a
 *     checkpoint written before digests existed
 */
public record ModelVersion(
    long checkpointId,
    String runId,
    int epoch,
    long step,
    String sha256,
    String weightsSha256,
    Double testTop1,
    Double testTop5,
    int resize,
    Instant createdAt) {}
