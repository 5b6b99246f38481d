package dev.nin.inference.models;

import java.time.Instant;

/** Which checkpoint answers: what every prediction reports, and what the catalog lists. */
public record ModelVersion(
    long checkpointId,
    String runId,
    int epoch,
    long step,
    String sha256,
    Double testTop1,
    Double testTop5,
    int resize,
    Instant createdAt) {}
