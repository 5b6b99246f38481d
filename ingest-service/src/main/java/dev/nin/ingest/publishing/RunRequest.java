package dev.nin.ingest.publishing;

import dev.nin.contracts.v1.TrainingRequest;
import java.util.UUID;

/** A validated {@link TrainingRequest}. */
record RunRequest(
    UUID runId,
    long seed,
    int batchSize,
    int epochs,
    int trainLimit,
    int testLimit,
    boolean augment) {

  static final int MAX_BATCH_SIZE = 4096;
  static final int MAX_EPOCHS = 1000;

  static RunRequest from(TrainingRequest request, int trainImages, int testImages)
      throws InvalidRequestException {
    UUID runId;
    try {
      runId = UUID.fromString(request.getRunId());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("run_id '" + request.getRunId() + "' is not a UUID");
    }
    check(
        request.getBatchSize() >= 1 && request.getBatchSize() <= MAX_BATCH_SIZE,
        "batch_size must be in [1, " + MAX_BATCH_SIZE + "], was " + request.getBatchSize());
    check(
        request.getEpochs() >= 1 && request.getEpochs() <= MAX_EPOCHS,
        "epochs must be in [1, " + MAX_EPOCHS + "], was " + request.getEpochs());
    check(
        request.getTrainLimit() >= 0 && request.getTrainLimit() <= trainImages,
        "train_limit must be in [0, " + trainImages + "], was " + request.getTrainLimit());
    check(
        request.getTestLimit() >= 0 && request.getTestLimit() <= testImages,
        "test_limit must be in [0, " + testImages + "], was " + request.getTestLimit());
    return new RunRequest(
        runId,
        request.getSeed(),
        request.getBatchSize(),
        request.getEpochs(),
        request.getTrainLimit(),
        request.getTestLimit(),
        request.getAugment());
  }

  private static void check(boolean ok, String reason) throws InvalidRequestException {
    if (!ok) {
      throw new InvalidRequestException(reason);
    }
  }
}
