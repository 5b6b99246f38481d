package dev.nin.testsupport;

import java.util.List;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Kafka (KRaft) and PostgreSQL in containers, for machines with a Docker engine. */
final class ContainerInfrastructure {

  private ContainerInfrastructure() {}

  static Infrastructure start(List<AutoCloseable> running) {
    var kafka =
        new KafkaContainer("apache/kafka:4.1.1")
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(LocalKafkaBroker.MAX_MESSAGE_BYTES))
            .withEnv(
                "KAFKA_REPLICA_FETCH_MAX_BYTES",
                String.valueOf(LocalKafkaBroker.MAX_MESSAGE_BYTES));
    var postgres = new PostgreSQLContainer("postgres:16-alpine");
    kafka.start();
    running.add(kafka::stop);
    postgres.start();
    running.add(postgres::stop);
    return new Infrastructure(
        InfrastructureMode.TESTCONTAINERS,
        kafka.getBootstrapServers(),
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword());
  }
}
