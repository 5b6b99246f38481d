package dev.nin.tools.chaos;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.tools.bench.Targets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead letters kept for one record key (a run id), read from the broker: one line each, the
 * service that wrote it and the reason. {@code scripts/chaos.sh} checks the poison pill's.
 *
 * <pre>
 *   DeadLetters KEY [--wait-seconds 60]   waits until at least one letter for KEY is there
 * </pre>
 */
public final class DeadLetters {

  private DeadLetters() {}

  public static void main(String[] args) throws Exception {
    String key = args[0];
    long waitSeconds =
        args.length > 2 && args[1].equals("--wait-seconds") ? Long.parseLong(args[2]) : 60;
    var props = new Properties();
    props.put("bootstrap.servers", Targets.fromEnvironment().kafka());
    props.put("max.partition.fetch.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    int found = 0;
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (found == 0 && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          var letter = DeadLetter.parseFrom(record.value());
          if (letter.getKey().toStringUtf8().equals(key)) {
            System.out.println(letter.getService() + ": " + letter.getReason());
            found++;
          }
        }
      }
    }
    if (found == 0) {
      System.err.println("no dead letter for " + key + " within " + waitSeconds + " s");
      System.exit(1);
    }
  }
}
