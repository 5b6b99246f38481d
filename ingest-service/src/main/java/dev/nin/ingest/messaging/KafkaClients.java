package dev.nin.ingest.messaging;

import dev.nin.contracts.kafka.PipelineKafka;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The pipeline's Kafka clients for this service's broker (a singleton: no proxy needed). */
@Singleton
public class KafkaClients extends PipelineKafka {

  KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    super(bootstrapServers);
  }
}
