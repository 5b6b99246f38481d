package dev.nin.contracts.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A Kafka client's own metrics (fetch lag, records consumed and sent, request latency, …) in
 * Micrometer, named as Micrometer's {@code KafkaClientMetrics} names them ({@code
 * kafka_consumer_fetch_manager_records_lag{client_id, topic, partition}}), so the community's
 * dashboards read them.
 *
 * <p>Why a reporter and not {@code KafkaClientMetrics}: that binder lives as long as the registry,
 * while this pipeline opens a consumer per run (its topics are the run's) and closes it when the
 * run ends. The client calls a reporter on every metric it adds and removes and closes it with
 * itself, so the series of a run's consumer go when the consumer does and the label set stays the
 * clients that exist. Kafka makes the reporter from {@link #using}'s settings and hands it the
 * registry through them.
 */
public final class KafkaClientMeters implements MetricsReporter {

  /** The client setting that carries the {@link MeterRegistry} (an object, not a string). */
  static final String REGISTRY = "nin.meter.registry";

  private final Map<MetricName, Meter> meters = new HashMap<>();
  private MeterRegistry registry;

  /** The client settings that report a client's metrics to {@code registry}. */
  public static Map<String, Object> using(MeterRegistry registry) {
    return Map.of(
        CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
        KafkaClientMeters.class.getName(),
        REGISTRY,
        registry);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    registry = (MeterRegistry) configs.get(REGISTRY);
  }

  @Override
  public synchronized void init(List<KafkaMetric> metrics) {
    metrics.forEach(this::metricChange);
  }

  @Override
  public synchronized void metricChange(KafkaMetric metric) {
    if (registry == null || !metric.isMeasurable()) {
      return; // app-info's version strings and the like: not numbers
    }
    metricRemoval(metric);
    String name = meterName(metric.metricName());
    List<Tag> tags = new ArrayList<>();
    metric.metricName().tags().forEach((key, value) -> tags.add(Tag.of(key, value)));
    if (!widestTagsFor(name, tagKeys(tags))) {
      return;
    }
    Meter meter =
        metric.metricName().name().endsWith("-total")
            ? FunctionCounter.builder(name, metric, KafkaClientMeters::value)
                .description(metric.metricName().description())
                .tags(tags)
                .register(registry)
            : Gauge.builder(name, metric, KafkaClientMeters::value)
                .description(metric.metricName().description())
                .tags(tags)
                .register(registry);
    meters.put(metric.metricName(), meter);
  }

  @Override
  public synchronized void metricRemoval(KafkaMetric metric) {
    Meter meter = meters.remove(metric.metricName());
    if (meter != null) {
      registry.remove(meter);
    }
  }

  @Override
  public synchronized void close() {
    meters.values().forEach(registry::remove);
    meters.clear();
  }

  /** {@code consumer-fetch-manager-metrics} / {@code records-lag} → {@code kafka.consumer…lag}. */
  static String meterName(MetricName metric) {
    return "kafka."
        + metric.group().replace("-metrics", "").replace('-', '.')
        + "."
        + metric.name().replace('-', '.');
  }

  /**
   * Kafka reports some metrics both per client and per topic or partition under one name (records
   * consumed, the largest lag); Prometheus wants one label set per name. As Micrometer's binder
   * does, the widest wins: narrower meters of the name are removed, and a narrower one is not
   * added.
   */
  private boolean widestTagsFor(String name, Set<String> keys) {
    for (Meter existing : registry.find(name).meters()) {
      Set<String> existingKeys = tagKeys(existing.getId().getTags());
      if (existingKeys.equals(keys)) {
        continue;
      }
      if (existingKeys.size() > keys.size()) {
        return false;
      }
      registry.remove(existing);
      meters.values().remove(existing);
    }
    return true;
  }

  private static Set<String> tagKeys(List<Tag> tags) {
    Set<String> keys = new TreeSet<>();
    tags.forEach(tag -> keys.add(tag.getKey()));
    return keys;
  }

  private static double value(KafkaMetric metric) {
    return metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
  }
}
