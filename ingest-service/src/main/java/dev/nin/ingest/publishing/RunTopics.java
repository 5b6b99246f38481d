package dev.nin.ingest.publishing;

import dev.nin.contracts.Topics;
import dev.nin.ingest.config.IngestConfig;
import dev.nin.servicekit.kafka.PipelineKafka;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The per-run batch topics: one partition each, so a run's batches keep their order and a topic's
 * record count says exactly how much of the run's stream is already published.
 */
@ApplicationScoped
public class RunTopics {

  private final PipelineKafka clients;
  private final IngestConfig config;

  RunTopics(PipelineKafka clients, IngestConfig config) {
    this.clients = clients;
    this.config = config;
  }

  /** Creates the topic if missing, with the run retention and the record-size limit. */
  public void ensure(String topic) throws ExecutionException, InterruptedException {
    var newTopic =
        new NewTopic(topic, Optional.of(1), Optional.of(config.runTopics().replicationFactor()))
            .configs(
                Map.of(
                    "max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES),
                    "retention.ms", String.valueOf(config.runTopics().retention().toMillis()),
                    "cleanup.policy", "delete"));
    try (var admin = clients.admin()) {
      admin.createTopics(List.of(newTopic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /** Deletes both of a run's topics; one that is already gone is no error. */
  public void delete(UUID runId) throws ExecutionException, InterruptedException {
    try (var admin = clients.admin()) {
      var result =
          admin.deleteTopics(List.of(Topics.testBatches(runId), Topics.trainBatches(runId)));
      for (var future : result.topicNameValues().values()) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
        }
      }
    }
  }

  /** The record at an offset of the topic's only partition, or empty if it cannot be read. */
  public Optional<ConsumerRecord<String, byte[]>> recordAt(String topic, long offset) {
    var partition = new TopicPartition(topic, 0);
    try (var consumer = clients.broadcastConsumer("ingest-topic-check")) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, offset);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() == offset) {
            return Optional.of(record);
          }
          if (record.offset() > offset) {
            return Optional.empty(); // deleted by retention
          }
        }
      }
      return Optional.empty();
    }
  }

  /** How many records the topic holds (its end offset: no compaction, no transactions). */
  public long recordCount(String topic) throws ExecutionException, InterruptedException {
    var partition = new TopicPartition(topic, 0);
    try (var admin = clients.admin()) {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get()
          .offset();
    }
  }
}
