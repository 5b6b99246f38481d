package dev.nin.inference.models;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.servicekit.kafka.DeadLetterChannel;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Listens to {@value Topics#CHECKPOINTS} through the Reactive Messaging channel {@value #CHANNEL}.
 * The channel assigns itself the topic's partition from its end instead of joining a consumer group
 * (application.properties: {@code assign-seek=0:-1}), so every replica sees every event and needs
 * no group rights; what was announced before it started is in the database, which {@link
 * ModelUpdater} reads at start and every poll interval. An event only says "decide again": the
 * database stays the source of truth.
 */
@ApplicationScoped
public class CheckpointEventListener {

  static final String CHANNEL = "checkpoint-events";
  private static final Logger LOG = Logger.getLogger(CheckpointEventListener.class);

  private final ModelUpdater updater;
  private final InferenceConfig config;
  private final DeadLetterPublisher deadLetters;
  private final Counter events;
  private final io.opentelemetry.api.trace.Tracer tracer;

  CheckpointEventListener(
      PipelineKafka kafka,
      ModelUpdater updater,
      InferenceConfig config,
      MeterRegistry registry,
      DeadLetterChannel deadLetterChannel,
      io.opentelemetry.api.trace.Tracer tracer) {
    this.tracer = tracer;
    this.updater = updater;
    this.config = config;
    this.events = registry.counter("nin_inference_checkpoint_events");
    this.deadLetters =
        new DeadLetterPublisher(
            kafka,
            deadLetterChannel,
            "inference-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
  }

  /**
   * One event. Never throws on bad data: an unusable event goes to the dead letters and is acked,
   * so one bad record cannot stop the channel. Blocking because the dead-letter send waits for the
   * broker.
   */
  @Incoming(CHANNEL)
  @Blocking
  public void onEvent(ConsumerRecord<String, byte[]> record) {
    if (!config.listenForCheckpoints()) {
      // a replica told to serve only what it finds by polling: the channel still reads and acks
      // the events (it is wired at build time), and they are ignored here
      return;
    }
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
