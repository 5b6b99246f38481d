package dev.nin.core.training;

/**
 * A batch to train on and where it sits: batch {@code index} of {@code batchCount} in {@code
 * epoch}, at {@code position} in its source (a Kafka offset, or a count in memory).
 *
 * @param epochImages the images the whole epoch holds, to tell a short epoch (records lost on the
 *     way) from a complete one
 */
public record FedBatch(
    Batch batch, int epoch, int index, int batchCount, long position, long epochImages) {

  /** The last batch of its epoch: after it, the loop evaluates. */
  public boolean endsEpoch() {
    return index == batchCount - 1;
  }
}
