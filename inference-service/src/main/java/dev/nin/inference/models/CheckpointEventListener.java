package dev.nin.inference.models;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.Topics;
import dev.nin.contracts.kafka.DeadLetterPublisher;
import dev.nin.contracts.kafka.PipelineKafka;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.inference.config.InferenceConfig;
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
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Listens to {@value Topics#CHECKPOINTS} without a consumer group, so every replica sees every
 * event, from the end of the topic (what is older is in the database, read at start). An event only
 * says "decide again": the database stays the source of truth.
 */
@ApplicationScoped
public class CheckpointEventListener {

  private static final Logger LOG = Logger.getLogger(CheckpointEventListener.class);

  private final PipelineKafka kafka;
  private final ModelUpdater updater;
  private final InferenceConfig config;
  private final DeadLetterPublisher deadLetters;
  private final Counter events;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private Thread thread;

  CheckpointEventListener(
      PipelineKafka kafka, ModelUpdater updater, InferenceConfig config, MeterRegistry registry) {
    this.kafka = kafka;
    this.updater = updater;
    this.config = config;
    this.events = registry.counter("nin_inference_checkpoint_events");
    this.deadLetters =
        new DeadLetterPublisher(
            kafka,
            "inference-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
  }

  void start(@Observes StartupEvent event) {
    if (config.listenForCheckpoints()) {
      thread = new Thread(this::loop, "checkpoint-events");
      thread.setDaemon(true);
      thread.start();
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    var c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
    deadLetters.close();
  }

  private void loop() {
    while (running) {
      try (var c = kafka.broadcastConsumer("inference-checkpoints")) {
        consumer = c;
        List<TopicPartition> partitions =
            c.partitionsFor(Topics.CHECKPOINTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          throw new IllegalStateException("topic " + Topics.CHECKPOINTS + " has no partitions yet");
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        LOG.infof("listening to %s (%d partitions)", Topics.CHECKPOINTS, partitions.size());
        // Whatever was announced before this point is behind the end: decide once more now.
        updater.refreshSoon();
        while (running) {
          for (var record : c.poll(Duration.ofSeconds(1))) {
            handle(record);
          }
        }
      } catch (WakeupException stopping) {
        return;
      } catch (RuntimeException e) {
        // Kafka unreachable: polling the database still finds new checkpoints meanwhile.
        LOG.warnf("checkpoint listener failed, retrying in 5 s: %s", e.getMessage());
        pause();
      }
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
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

  private void pause() {
    try {
      Thread.sleep(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
