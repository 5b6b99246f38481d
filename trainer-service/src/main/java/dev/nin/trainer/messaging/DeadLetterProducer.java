package dev.nin.trainer.messaging;

import dev.nin.contracts.kafka.DeadLetterPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Dead letters of this service, counted in {@code nin_dead_letters_total{topic}}. */
public class DeadLetterProducer {

  @Produces
  @ApplicationScoped
  DeadLetterPublisher deadLetters(KafkaClients kafka, MeterRegistry registry) {
    return new DeadLetterPublisher(
        kafka,
        "trainer-service",
        topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
  }

  void close(@Disposes DeadLetterPublisher publisher) {
    publisher.close();
  }
}
