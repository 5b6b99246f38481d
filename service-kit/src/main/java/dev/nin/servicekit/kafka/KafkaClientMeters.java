package dev.nin.servicekit.kafka;

import dev.nin.contracts.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A Kafka client's own metrics (fetch lag, records consumed and sent, request latency, …) in
 * Micrometer, named as Micrometer's {@code KafkaClientMetrics} names them ({@code
 * kafka_consumer_fetch_manager_records_lag{client_id, topic, partition}}, without its {@code
 * kafka_version} label).
 *
 * <p>Why a reporter and not {@code KafkaClientMetrics}: that binder must be closed by whoever holds
 * the client (Quarkus' observer keeps it until shutdown), while this pipeline opens a consumer per
 * run (its topics are the run's) and closes it when the run ends. The client calls a reporter on
 * every metric it adds and removes and closes it with itself, so the series of a run's consumer go
 * when the consumer does and the label set stays the clients that exist. Kafka makes the reporter
 * from {@link #using}'s settings and hands it the registry through them.
 */
public final class KafkaClientMeters implements MetricsReporter {

  /** The client setting that carries the {@link MeterRegistry} (an object, not a string). */
  static final String REGISTRY = "nin.meter.registry";

  private static final System.Logger LOG = System.getLogger(KafkaClientMeters.class.getName());

  /**
   * One lock for every client of the process: deciding which label set a name keeps reads and
   * changes the registry all clients share.
   */
  private static final Object LOCK = new Object();

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
    Object given = configs.get(REGISTRY);
    if (given == null) {
      // A client made from string properties (a Reactive Messaging channel's
      // metric.reporters=...) cannot carry an object: Quarkus adds its registries to the global
      // one, so the series land in the same scrape.
      registry = Metrics.globalRegistry;
    } else if (given instanceof MeterRegistry meterRegistry) {
      registry = meterRegistry;
    } else {
      throw new ConfigException(REGISTRY, given, "must be a Micrometer MeterRegistry");
    }
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
    metrics.forEach(this::metricChange);
  }

  @Override
  public void metricChange(KafkaMetric metric) {
    synchronized (LOCK) {
      metricRemoval(metric);
      if (registry == null || !reported(metric)) {
        return;
      }
      String name = meterName(metric.metricName());
      List<Tag> tags = new ArrayList<>();
      metric.metricName().tags().forEach((key, value) -> tags.add(Tag.of(key, value)));
      if (!widestTagsFor(name, tagKeys(tags)) || registry.find(name).tags(tags).meter() != null) {
        // a narrower label set, or a second live client with the same id: the first one's stays
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
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
    synchronized (LOCK) {
      Meter meter = meters.remove(metric.metricName());
      if (meter != null) {
        registry.remove(meter);
      }
    }
  }

  @Override
  public void close() {
    synchronized (LOCK) {
      if (registry != null) {
        meters.values().forEach(registry::remove);
      }
      meters.clear();
    }
  }

  /**
   * Numbers only, and not the ones that would outlive what they describe or count twice:
   *
   * <ul>
   *   <li>Kafka reports a topic with dots a second time under a deprecated name with underscores
   *       ({@code nin_checkpoints}); this pipeline's topic names have no underscore, so a topic
   *       label with one is that duplicate;
   *   <li>a producer's per-topic metrics live as long as the producer, and ingest's producer
   *       outlives every run: a run's topics there would leave a set of series per run ever
   *       published. Its totals over all topics stay. (A run's consumer is closed with the run, so
   *       its per-topic series go with it.)
   *   <li>{@code kafka-metrics-count} counts the metrics themselves.
   * </ul>
   */
  private static boolean reported(KafkaMetric metric) {
    MetricName name = metric.metricName();
    String topic = name.tags().get("topic");
    if (topic != null
        && (topic.contains("_")
            || (name.group().startsWith("producer") && Topics.isRunTopic(topic)))) {
      return false;
    }
    return !name.group().equals("kafka-metrics-count") && metric.metricValue() instanceof Number;
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
   * does, the widest wins: meters of the name whose labels are a strict subset of these are
   * removed, and these are not added when an existing meter's labels are not a subset of them.
   */
  private boolean widestTagsFor(String name, Set<String> keys) {
    for (Meter existing : registry.find(name).meters()) {
      Set<String> existingKeys = tagKeys(existing.getId().getTags());
      if (existingKeys.equals(keys)) {
        continue;
      }
      if (!keys.containsAll(existingKeys)) {
        if (!existingKeys.containsAll(keys)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "{0}: labels {1} and {2} overlap; keeping the first",
              name,
              existingKeys,
              keys);
        }
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
