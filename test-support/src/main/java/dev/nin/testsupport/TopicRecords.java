package dev.nin.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a one-partition topic from its beginning, for assertions on what services published. */
public final class TopicRecords {

  private TopicRecords() {}

  /** Every record value in the topic now (up to its end offset at the time of the call). */
  public static List<byte[]> all(String bootstrapServers, String topic) {
    try (var consumer = consumer(bootstrapServers)) {
      if (consumer.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty()) {
        return new ArrayList<>(); // no broker creates topics on first use: nothing was written
      }
      var partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      var values = new ArrayList<byte[]>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return consumer.position(partition) >= end;
              });
      return values;
    }
  }

  /** The first {@code count} record values, waiting for them to arrive. */
  public static List<byte[]> first(String bootstrapServers, String topic, int count) {
    try (var consumer = consumer(bootstrapServers)) {
      var partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      var values = new ArrayList<byte[]>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= count;
              });
      return values.subList(0, count);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            4 * 1024 * 1024,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
