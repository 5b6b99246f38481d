package dev.nin.trainer.training;

import dev.nin.contracts.v1.ImageBatch;
import dev.nin.core.training.Batch;
import dev.nin.servicekit.kafka.PipelineKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/** A run's test split, read whole from its topic once: every epoch is evaluated on all of it. */
final class TestSplit {

  private TestSplit() {}

  /**
   * The test split as read: its batches, the dataset digests its records carried, and how many
   * records the topic held up to the last batch read (its offset range is [0, records)).
   */
  record TestData(List<Batch> batches, Map<String, String> datasetSha256, long records) {}

  /** The split, or null when {@code stop} turns true first (the run was cancelled). */
  static TestData read(
      PipelineKafka kafka, String topic, UUID runId, Duration timeout, BooleanSupplier stop)
      throws TimeoutException {
    var batches = new ArrayList<Batch>();
    Map<String, String> dataset = Map.of();
    long records = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var consumer = kafka.consumer("nin-trainer-test-" + runId)) {
      var partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      int expected = -1;
      while (expected < 0 || batches.size() < expected) {
        if (stop.getAsBoolean()) {
          return null;
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "the test split of run "
                  + runId
                  + " did not arrive within "
                  + timeout
                  + " ("
                  + batches.size()
                  + " batches)");
        }
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          try {
            ImageBatch batch = ImageBatch.parseFrom(record.value());
            if (BatchFeed.problem(batch, runId) != null) {
              continue; // the training feed dead-letters bad records; evaluation skips them
            }
            expected = batch.getBatchCount();
            if (dataset.isEmpty()) {
              dataset = DatasetHeaders.of(record.headers());
            }
            records = record.offset() + 1;
            batches.add(
                new Batch(batch.getPixels().toByteArray(), batch.getLabels().toByteArray()));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // skipped, as above
          }
        }
      }
    }
    return new TestData(batches, dataset, records);
  }
}
