package dev.nin.inference.models;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.servicekit.kafka.ConsumerLoop;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Listens to {@value Topics#CHECKPOINTS} without a consumer group, so every replica sees every
 * event, from the end of the topic (what is older is in the database, read at start). An event only
 * says "decide again": the database stays the source of truth.
 */
@ApplicationScoped
public class CheckpointEventListener {

  private static final Logger LOG = Logger.getLogger(CheckpointEventListener.class);

  private final ModelUpdater updater;
  private final InferenceConfig config;
  private final DeadLetterPublisher deadLetters;
  private final Counter events;
  private final ConsumerLoop loop;
  private final io.opentelemetry.api.trace.Tracer tracer;

  CheckpointEventListener(
      PipelineKafka kafka,
      ModelUpdater updater,
      InferenceConfig config,
      MeterRegistry registry,
      io.opentelemetry.api.trace.Tracer tracer) {
    this.tracer = tracer;
    this.updater = updater;
    this.config = config;
    this.events = registry.counter("nin_inference_checkpoint_events");
    this.deadLetters =
        new DeadLetterPublisher(
            kafka,
            "inference-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
    this.loop =
        new ConsumerLoop(
            "checkpoint-events",
            () -> kafka.broadcastConsumer("inference-checkpoints"),
            this::assignAllFromTheEnd,
            (c, record) -> handle(record),
            Duration.ofSeconds(5));
  }

  void start(@Observes StartupEvent event) {
    if (config.listenForCheckpoints()) {
      loop.start();
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    loop.stop();
    deadLetters.close();
  }

  private void assignAllFromTheEnd(KafkaConsumer<String, byte[]> c) {
    List<TopicPartition> partitions =
        c.partitionsFor(Topics.CHECKPOINTS, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      // Kafka unreachable, or no checkpoint announced yet: polling the database covers it
      throw new IllegalStateException("topic " + Topics.CHECKPOINTS + " has no partitions yet");
    }
    c.assign(partitions);
    c.seekToEnd(partitions);
    LOG.infof("listening to %s (%d partitions)", Topics.CHECKPOINTS, partitions.size());
    // Whatever was announced before this point is behind the end: decide once more now.
    updater.refreshSoon();
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    // the run's trace, carried in the record's headers: the load it leads to joins it
    var span =
        tracer
            .spanBuilder("checkpoint announced")
            .setParent(TraceContext.extract(record.headers()))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CONSUMER)
            .setAttribute("messaging.destination.name", record.topic())
            .startSpan();
    try (var scope = span.makeCurrent()) {
      handleInSpan(record);
    } finally {
      span.end();
    }
  }

  private void handleInSpan(ConsumerRecord<String, byte[]> record) {
    try {
      var event = CheckpointEvent.parseFrom(record.value() == null ? new byte[0] : record.value());
      if (event.getCheckpointId() <= 0) {
        deadLetters.send(record, "CheckpointEvent without a checkpoint id");
        return;
      }
      LOG.debugf("checkpoint %d announced (run %s)", event.getCheckpointId(), event.getRunId());
      events.increment();
      updater.refreshSoon();
    } catch (InvalidProtocolBufferException e) {
      deadLetters.send(record, "not a CheckpointEvent protobuf: " + e.getMessage());
    }
  }
}
