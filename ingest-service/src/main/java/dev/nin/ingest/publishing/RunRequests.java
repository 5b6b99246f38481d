package dev.nin.ingest.publishing;

import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.dataset.Augmentation;
import dev.nin.dataset.RunStream;
import java.util.UUID;

/** Turns a {@link TrainingRequest} into the {@link RunStream.Spec} to publish, or says why not. */
final class RunRequests {

  static final int MAX_BATCH_SIZE = 4096;
  static final int MAX_EPOCHS = 1000;

  private RunRequests() {}

  static RunStream.Spec validate(TrainingRequest request, int trainImages, int testImages)
      throws InvalidRequestException {
    try {
      UUID.fromString(request.getRunId());
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
        request.getCurrentEpoch() < request.getEpochs(),
        "current_epoch must be below epochs ("
            + request.getEpochs()
            + "), was "
            + request.getCurrentEpoch());
    check(
        request.getTrainLimit() >= 0 && request.getTrainLimit() <= trainImages,
        "train_limit must be in [0, " + trainImages + "], was " + request.getTrainLimit());
    check(
        request.getTestLimit() >= 0 && request.getTestLimit() <= testImages,
        "test_limit must be in [0, " + testImages + "], was " + request.getTestLimit());
    // uint32 arrives as a Java int: anything past 2^31 reads negative
    check(
        request.getCropPadding() >= 0
            && request.getCropPadding() <= Augmentation.LARGEST_CROP_PADDING,
        "crop_padding must be in [0, "
            + Augmentation.LARGEST_CROP_PADDING
            + "], was "
            + Integer.toUnsignedString(request.getCropPadding()));
    return RunStream.Spec.of(request);
  }

  private static void check(boolean ok, String reason) throws InvalidRequestException {
    if (!ok) {
      throw new InvalidRequestException(reason);
    }
  }
}
