package dev.nin.ingest.messaging;

import com.google.protobuf.ByteString;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/** Sends a record no one can use to {@value Topics#DEAD_LETTERS}, with the reason, and moves on. */
@ApplicationScoped
public class DeadLetters {

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final KafkaProducer<String, byte[]> producer;
  private final MeterRegistry registry;

  DeadLetters(KafkaClients clients, MeterRegistry registry) {
    this.producer = clients.producer("ingest-dead-letters");
    this.registry = registry;
  }

  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    LOG.warnf(
        "dead letter from %s-%d@%d: %s",
        record.topic(), record.partition(), record.offset(), reason);
    var letter =
        DeadLetter.newBuilder()
            .setSourceTopic(record.topic())
            .setSourcePartition(record.partition())
            .setSourceOffset(record.offset())
            .setReason(reason)
            .setService("ingest-service")
            .setFailedAtMs(System.currentTimeMillis());
    if (record.key() != null) {
      letter.setKey(ByteString.copyFromUtf8(record.key()));
    }
    if (record.value() != null) {
      letter.setValue(ByteString.copyFrom(record.value()));
    }
    try {
      producer
          .send(
              new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), letter.build().toByteArray()))
          .get(30, TimeUnit.SECONDS);
      registry.counter("nin_dead_letters_total", "topic", record.topic()).increment();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write the dead letter: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    }
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
