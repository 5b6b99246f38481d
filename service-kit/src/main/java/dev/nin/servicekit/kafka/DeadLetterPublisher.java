package dev.nin.servicekit.kafka;

import com.google.protobuf.ByteString;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a record no consumer can use to {@value Topics#DEAD_LETTERS}: the original key and bytes,
 * where they came from, which service gave up on them, and why.
 */
public class DeadLetterPublisher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DeadLetterPublisher.class.getName());

  private final PipelineKafka kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final String service;
  private final Consumer<String> sentFromTopic;

  /**
   * @param sentFromTopic told the source topic of every letter sent, as a bounded metric label
   *     ({@link dev.nin.contracts.Topics#metricLabel}: a run's topics are one label), e.g. to count
   *     them
   */
  public DeadLetterPublisher(PipelineKafka kafka, String service, Consumer<String> sentFromTopic) {
    this.kafka = kafka;
    this.producer = kafka.producer(service + "-dead-letters");
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
    try {
      kafka.ensureTopic(Topics.DEAD_LETTERS);
      producer
          .send(
              new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), letter.build().toByteArray()))
          .get(30, TimeUnit.SECONDS);
      sentFromTopic.accept(dev.nin.contracts.Topics.metricLabel(record.topic()));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write the dead letter: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
