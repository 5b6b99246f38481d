package dev.nin.servicekit.kafka;

import dev.nin.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka clients configured for this pipeline's records, the same in every service: up to {@link
 * Topics#MAX_RECORD_BYTES}, lz4-compressed, idempotent, acknowledged by all in-sync replicas,
 * offsets committed by the application only.
 *
 * <p>In a service it is a singleton bean for the broker that {@code kafka.bootstrap.servers} names
 * (a singleton: no client proxy, so no no-arg constructor needed). Where the broker requires
 * authentication (SASL/SCRAM with one user per service, see docs/reliability.md), {@code
 * kafka.security.protocol}, {@code kafka.sasl.mechanism} and {@code kafka.sasl.jaas.config} (the
 * keys Quarkus' own Kafka clients read too) apply to every client made here.
 */
@Singleton
public class PipelineKafka {

  private final String bootstrapServers;
  private final Map<String, Object> security;
  private final Map<String, Object> clientMetrics;
  private final Set<String> ensuredTopics = ConcurrentHashMap.newKeySet();

  /** Clients for a broker without authentication (a local stack on loopback). */
  public PipelineKafka(String bootstrapServers) {
    this(bootstrapServers, Map.of());
  }

  /**
   * Clients that authenticate with the given client properties ({@code security.protocol}, {@code
   * sasl.mechanism}, {@code sasl.jaas.config}); see {@link #scram}.
   */
  public PipelineKafka(String bootstrapServers, Map<String, Object> security) {
    this(bootstrapServers, security, Map.of());
  }

  private PipelineKafka(
      String bootstrapServers, Map<String, Object> security, Map<String, Object> clientMetrics) {
    this.bootstrapServers = bootstrapServers;
    this.security = Map.copyOf(security);
    this.clientMetrics = clientMetrics;
  }

  @Inject
  PipelineKafka(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "kafka.security.protocol") Optional<String> protocol,
      @ConfigProperty(name = "kafka.sasl.mechanism") Optional<String> mechanism,
      @ConfigProperty(name = "kafka.sasl.jaas.config") Optional<String> jaasConfig,
      MeterRegistry registry) {
    // in a service every client reports its own metrics (lag, records, latency) to /q/metrics
    this(
        bootstrapServers,
        security(protocol, mechanism, jaasConfig),
        KafkaClientMeters.using(registry));
  }

  /** The client properties of a SASL/SCRAM-SHA-512 user on a plaintext listener. */
  public static Map<String, Object> scram(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "SCRAM-SHA-512",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  private static Map<String, Object> security(
      Optional<String> protocol, Optional<String> mechanism, Optional<String> jaasConfig) {
    Map<String, Object> config = new HashMap<>();
    protocol.ifPresent(v -> config.put("security.protocol", v));
    mechanism.ifPresent(v -> config.put("sasl.mechanism", v));
    jaasConfig.ifPresent(v -> config.put("sasl.jaas.config", v));
    return config;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public KafkaProducer<String, byte[]> producer(String clientId) {
    Map<String, Object> config = common();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
    // ~100 KB records: batch several per request instead of one request each.
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  public KafkaConsumer<String, byte[]> consumer(String groupId) {
    Map<String, Object> config = common();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
    // Publishing a run, or evaluating an epoch, takes minutes: keep the partitions meanwhile.
    config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30 * 60 * 1000);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * A consumer without a group, for records every instance must see (each replica assigns itself
   * all partitions; nothing is committed).
   */
  public KafkaConsumer<String, byte[]> broadcastConsumer(String clientId) {
    Map<String, Object> config = common();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  public Admin admin() {
    // no client metrics: admins here live for one call each, and would only churn series
    Map<String, Object> config = new HashMap<>(security);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(config);
  }

  private Map<String, Object> common() {
    Map<String, Object> config = new HashMap<>(security);
    config.putAll(clientMetrics);
    return config;
  }

  /**
   * Creates one of the pipeline's shared topics if it is missing, with the broker's default
   * partitions and replication. The brokers do not create topics on first use (a typo or a hostile
   * client would get one): the services that use a topic create it, once per process.
   *
   * @throws IllegalStateException when the broker cannot be reached or refuses
   */
  public void ensureTopic(String topic) {
    ensureTopic(topic, Optional.empty());
  }

  /**
   * As {@link #ensureTopic(String)}, creating it with exactly {@code partitions} partitions where
   * consumers assign themselves a fixed list (a topic that exists already is left as it is).
   */
  public void ensureTopic(String topic, int partitions) {
    ensureTopic(topic, Optional.of(partitions));
  }

  private void ensureTopic(String topic, Optional<Integer> partitions) {
    if (ensuredTopics.contains(topic)) {
      return;
    }
    try (var admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, Optional.empty()))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + topic + ": " + e.getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + topic, e);
    }
    ensuredTopics.add(topic);
  }
}
