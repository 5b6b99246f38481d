package dev.nin.servicekit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/**
 * A client's metrics as Micrometer meters that live exactly as long as the client: the names
 * Micrometer's own binder uses, one label set per name, nothing left behind when the client closes.
 */
class KafkaClientMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KafkaClientMeters reporter = new KafkaClientMeters();

  KafkaClientMetersTest() {
    reporter.configure(KafkaClientMeters.using(registry));
  }

  @Test
  void aClientsMetricsAreMetersNamedAsMicrometerNamesThem() {
    reporter.init(
        List.of(
            metric("consumer-fetch-manager-metrics", "records-consumed-total", 42, "client-id"),
            metric("consumer-fetch-manager-metrics", "records-lag", 7, "client-id", "topic")));

    assertThat(
            registry
                .get("kafka.consumer.fetch.manager.records.consumed.total")
                .tag("client-id", "c1")
                .functionCounter()
                .count())
        .isEqualTo(42);
    assertThat(
            registry
                .get("kafka.consumer.fetch.manager.records.lag")
                .tags("client-id", "c1", "topic", "t")
                .gauge()
                .value())
        .isEqualTo(7);
  }

  @Test
  void aNameReportedPerClientAndPerTopicKeepsOnlyThePerTopicMeters() {
    reporter.metricChange(
        metric("consumer-fetch-manager-metrics", "records-lag-max", 3, "client-id"));
    reporter.metricChange(
        metric("consumer-fetch-manager-metrics", "records-lag-max", 5, "client-id", "topic"));
    reporter.metricChange(
        metric("consumer-fetch-manager-metrics", "records-lag-max", 3, "client-id"));

    assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").meters())
        .singleElement()
        .extracting(m -> m.getId().getTag("topic"))
        .isEqualTo("t");
  }

  @Test
  void closingTheClientRemovesItsMetersAndARemovedMetricGoes() {
    KafkaMetric lag = metric("consumer-fetch-manager-metrics", "records-lag", 7, "client-id");
    reporter.init(List.of(lag, metric("consumer-metrics", "connection-count", 1, "client-id")));
    reporter.metricRemoval(lag);
    assertThat(registry.getMeters())
        .extracting(Meter::getId)
        .extracting(Meter.Id::getName)
        .containsExactly("kafka.consumer.connection.count");

    reporter.close();

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void textMetricsAreLeftOut() {
    reporter.metricChange(
        new KafkaMetric(
            new Object(),
            new MetricName("version", "app-info", "", Map.of("client-id", "c1")),
            (org.apache.kafka.common.metrics.Gauge<String>) (config, now) -> "4.1.2",
            new MetricConfig(),
            Time.SYSTEM));

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aRunsTopicIsNotAProducersLabelAndDeprecatedTopicNamesAreDropped() {
    reporter.init(
        List.of(
            metric("producer-topic-metrics", "record-send-total", 5, "client-id", "topic"),
            metric("consumer-fetch-manager-metrics", "records-lag", 1, "client-id", "topic")));
    String runTopic = "nin.run.7f1b2c9e-0000-4000-8000-000000000000.train";
    reporter.metricChange(
        tagged(
            "producer-topic-metrics", "byte-total", Map.of("client-id", "c1", "topic", runTopic)));
    reporter.metricChange(
        tagged(
            "consumer-fetch-manager-metrics",
            "records-consumed-total",
            Map.of("client-id", "c1", "topic", runTopic)));
    reporter.metricChange(
        tagged(
            "consumer-fetch-manager-metrics",
            "records-lead",
            Map.of("client-id", "c1", "topic", "nin_checkpoints")));

    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getName() + " " + m.getId().getTag("topic"))
        .containsExactlyInAnyOrder(
            "kafka.producer.topic.record.send.total t",
            "kafka.consumer.fetch.manager.records.lag t",
            "kafka.consumer.fetch.manager.records.consumed.total " + runTopic);
  }

  @Test
  void aSecondClientWithTheSameIdDoesNotTakeOverTheFirstOnesMeter() {
    var other = new KafkaClientMeters();
    other.configure(KafkaClientMeters.using(registry));
    reporter.metricChange(metric("consumer-metrics", "connection-count", 1, "client-id"));
    other.metricChange(metric("consumer-metrics", "connection-count", 2, "client-id"));

    other.close();

    assertThat(registry.get("kafka.consumer.connection.count").gauge().value()).isEqualTo(1);
  }

  private static KafkaMetric metric(String group, String name, double value, String... tagKeys) {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (String key : tagKeys) {
      tags.put(key, key.equals("client-id") ? "c1" : "t");
    }
    return tagged(group, name, tags, value);
  }

  private static KafkaMetric tagged(String group, String name, Map<String, String> tags) {
    return tagged(group, name, tags, 1);
  }

  private static KafkaMetric tagged(
      String group, String name, Map<String, String> tags, double value) {
    MetricValueProvider<?> provider = (Measurable) (config, now) -> value;
    return new KafkaMetric(
        new Object(),
        new MetricName(name, group, "", tags),
        provider,
        new MetricConfig(),
        Time.SYSTEM);
  }
}
