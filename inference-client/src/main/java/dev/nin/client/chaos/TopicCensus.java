package dev.nin.client.chaos;

import dev.nin.contracts.BatchDigest;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ImageBatch;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a run's topic holds, read back from the broker: per epoch, the images, the batches, a batch
 * published twice, and the {@link BatchDigest} of its batches. The independent side of the
 * trainer's own per-epoch counts: {@code scripts/chaos.sh} and {@code PipelineEndToEndIT} compare
 * the two.
 *
 * <pre>
 *   TopicCensus RUN_ID [train|test]    one line per epoch: epoch images batches duplicates digest
 * </pre>
 */
public final class TopicCensus {

  /** One epoch of a topic. */
  public record Epoch(long images, int batches, int duplicates, long digest) {}

  private TopicCensus() {}

  public static void main(String[] args) throws Exception {
    UUID run = UUID.fromString(args[0]);
    boolean test = args.length > 1 && args[1].equals("test");
    String topic = test ? Topics.testBatches(run) : Topics.trainBatches(run);
    read(Targets.fromEnvironment().kafka(), topic)
        .forEach(
            (epoch, e) ->
                System.out.printf(
                    "%d %d %d %d %d%n",
                    epoch, e.images(), e.batches(), e.duplicates(), e.digest()));
  }

  /** Reads {@code topic} from its beginning to its current end. */
  public static Map<Integer, Epoch> read(String bootstrapServers, String topic) {
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("max.partition.fetch.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
    var epochs = new TreeMap<Integer, Epoch>();
    var seen = new HashSet<String>();
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
        }
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          ImageBatch batch;
          try {
            batch = ImageBatch.parseFrom(record.value());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            continue; // not a batch (a forged record): the trainer dead-letters it, so do we
          }
          boolean first = seen.add(batch.getEpoch() + "/" + batch.getIndex());
          var before = epochs.getOrDefault(batch.getEpoch(), new Epoch(0, 0, 0, 0));
          epochs.put(
              batch.getEpoch(),
              first
                  ? new Epoch(
                      before.images() + batch.getLabels().size(),
                      before.batches() + 1,
                      before.duplicates(),
                      BatchDigest.add(before.digest(), batch.getEpoch(), batch.getIndex()))
                  : new Epoch(
                      before.images(), before.batches(), before.duplicates() + 1, before.digest()));
        }
      }
    }
    return epochs;
  }
}
