package dev.nin.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class SharedInfrastructureIT {

  private final Infrastructure infra = SharedInfrastructure.get();

  @Test
  void postgresAnswersSql() throws Exception {
    try (var connection =
            DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var result = connection.createStatement().executeQuery("select version()")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).startsWith("PostgreSQL");
    }
  }

  @Test
  void kafkaCarriesAOneMegabyteRecordCompressed() throws Exception {
    String topic = "nin.test.one-megabyte";
    try (var admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", String.valueOf(4 << 20)))))
          .all()
          .get();
    }
    byte[] payload = new byte[1_000_000];
    new Random(7).nextBytes(payload);

    var producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
    producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (var producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, payload)).get();
    }

    var consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "one-megabyte");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    try (var consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      byte[] received = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received == null && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          received = record.value();
        }
      }
      assertThat(received).isEqualTo(payload);
    }
  }
}
