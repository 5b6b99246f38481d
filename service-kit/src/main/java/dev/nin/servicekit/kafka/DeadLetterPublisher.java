package dev.nin.servicekit.kafka;

import com.google.protobuf.ByteString;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sends a record no consumer can use to {@value Topics#DEAD_LETTERS}: the original key and bytes,
 * where they came from, which service gave up on them, and why.
 */
public class DeadLetterPublisher {

  private static final System.Logger LOG = System.getLogger(DeadLetterPublisher.class.getName());

  private final PipelineKafka kafka;
  private final DeadLetterChannel channel;
  private final String service;
  private final Consumer<String> sentFromTopic;

  /**
   * @param sentFromTopic told the source topic of every letter sent, as a bounded metric label
   *     ({@link dev.nin.contracts.Topics#metricLabel}: a run's topics are one label), e.g. to count
   *     them
   */
  public DeadLetterPublisher(
      PipelineKafka kafka,
      DeadLetterChannel channel,
      String service,
      Consumer<String> sentFromTopic) {
    this.kafka = kafka;
    this.channel = channel;
    this.service = service;
    this.sentFromTopic = sentFromTopic;
  }

  /** Blocks until the broker has the letter: the caller moves past the record only then. */
  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    LOG.log(
        System.Logger.Level.WARNING,
        "dead letter from {0}-{1}@{2}: {3}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason);
    var letter =
        DeadLetter.newBuilder()
            .setSourceTopic(record.topic())
            .setSourcePartition(record.partition())
            .setSourceOffset(record.offset())
            .setReason(reason)
            .setService(service)
            .setFailedAtMs(System.currentTimeMillis());
    if (record.key() != null) {
      letter.setKey(ByteString.copyFromUtf8(record.key()));
    }
    if (record.value() != null) {
      letter.setValue(ByteString.copyFrom(record.value()));
    }
    // no broker here creates a topic on first use
    kafka.ensureTopic(Topics.DEAD_LETTERS);
    try {
      channel.send(record.key(), letter.build().toByteArray());
    } catch (RuntimeException e) {
      throw new IllegalStateException("could not write the dead letter: " + e.getMessage(), e);
    }
    sentFromTopic.accept(Topics.metricLabel(record.topic()));
  }
}
