package dev.nin.tools.chaos;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.tools.bench.Targets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead letters kept for one record key (a run id), read from the broker: one line each, the
 * service that wrote it and the reason. The chaos verdicts check the poison pill's.
 *
 * <pre>
 *   DeadLetters KEY [--wait-seconds 60]   waits until at least one letter for KEY is there
 * </pre>
 */
public final class DeadLetters {

  private DeadLetters() {}

  public static void main(String[] args) {
    String key = args[0];
    long waitSeconds =
        args.length > 2 && args[1].equals("--wait-seconds") ? Long.parseLong(args[2]) : 60;
    var letters = forKey(Targets.fromEnvironment().kafka(), key, Duration.ofSeconds(waitSeconds));
    letters.forEach(System.out::println);
    if (letters.isEmpty()) {
      System.err.println("no dead letter for " + key + " within " + waitSeconds + " s");
      System.exit(1);
    }
  }

  /**
   * The letters for {@code key} as "service: reason", read from the topic's beginning until at
   * least one is found or {@code wait} has passed (then empty).
   */
  public static List<String> forKey(String bootstrapServers, String key, Duration wait) {
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("max.partition.fetch.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
    long deadline = System.nanoTime() + wait.toNanos();
    var found = new ArrayList<String>();
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (found.isEmpty() && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          DeadLetter letter;
          try {
            letter = DeadLetter.parseFrom(record.value());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            continue; // not a letter: nothing of the key's
          }
          if (letter.getKey().toStringUtf8().equals(key)) {
            found.add(letter.getService() + ": " + letter.getReason());
          }
        }
      }
    }
    return found;
  }
}
