package dev.nin.core.training;

/** Where a {@link TrainingLoop} gets its batches: memory (the CLI) or a run's Kafka topic. */
@FunctionalInterface
public interface BatchSource {

  /** The next batch, in order; blocks until it is there, and throws when it cannot come. */
  FedBatch next() throws Exception;
}
