package dev.nin.core.data;

import dev.nin.core.training.Batch;
import dev.nin.core.training.BatchSource;
import dev.nin.core.training.FedBatch;
import dev.nin.dataset.Augmentation;
import dev.nin.dataset.LabeledImages;
import dev.nin.dataset.SamplingPlan;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of an in-memory split in the order {@link SamplingPlan} gives, the same stream ingest
 * publishes to Kafka, so the CLI and the benchmarks train on what the pipeline would.
 */
public final class MemoryBatches {

  private final LabeledImages images;
  private final int[] subset;
  private final long seed;
  private final int batchSize;
  private final boolean flip;
  private final int cropPadding;

  public MemoryBatches(LabeledImages images, int limit, long seed, int batchSize) {
    this(images, limit, seed, batchSize, false, 0);
  }

  /**
   * With the training epochs augmented as ingest augments them ({@link Augmentation}, seeded by the
   * seed, the epoch and the batch's index): random flips when {@code flip}, random crops after
   * {@code cropPadding} pixels of zero padding when above 0. Evaluation ({@link #inOrder}) never
   * is.
   */
  public MemoryBatches(
      LabeledImages images, int limit, long seed, int batchSize, boolean flip, int cropPadding) {
    this.images = images;
    this.subset = SamplingPlan.stratifiedSubset(images, limit, seed, 10);
    this.seed = seed;
    this.batchSize = batchSize;
    this.flip = flip;
    this.cropPadding = cropPadding;
  }

  public int size() {
    return subset.length;
  }

  public int batchesPerEpoch() {
    return SamplingPlan.batchCount(subset.length, batchSize);
  }

  /** The shuffled batches of one training epoch. */
  public Iterator<Batch> epoch(int epoch) {
    var batches = batches(SamplingPlan.epochOrder(subset, seed, epoch));
    if (!flip && cropPadding == 0) {
      return batches;
    }
    return new Iterator<>() {
      int index;

      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public Batch next() {
        var batch = batches.next();
        Augmentation.apply(batch.pixels(), flip, cropPadding, seed, epoch, index++);
        return batch;
      }
    };
  }

  /**
   * Every epoch's batches one after the other, from epoch 0 on, as a training loop's source; the
   * position is the batch's number counted over the epochs, as its offset in a run's topic is.
   */
  public BatchSource source() {
    return new BatchSource() {
      int epoch;
      int index;
      long position;
      Iterator<Batch> batches = epoch(0);

      @Override
      public FedBatch next() {
        if (!batches.hasNext()) {
          epoch++;
          index = 0;
          batches = epoch(epoch);
        }
        return new FedBatch(
            batches.next(), epoch, index++, batchesPerEpoch(), position++, subset.length);
      }
    };
  }

  /** The subset in file order (evaluation needs no shuffling). */
  public Iterator<Batch> inOrder() {
    return batches(subset);
  }

  private Iterator<Batch> batches(int[] order) {
    return new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < order.length;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int end = Math.min(order.length, next + batchSize);
        var slice = images.select(order, next, end);
        next = end;
        return new Batch(slice.pixels(), slice.labels());
      }
    };
  }
}
