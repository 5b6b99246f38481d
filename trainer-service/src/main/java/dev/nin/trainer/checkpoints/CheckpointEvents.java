package dev.nin.trainer.checkpoints;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.servicekit.kafka.KeyedRecords;
import dev.nin.servicekit.kafka.PipelineKafka;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Announces committed, evaluated checkpoints on {@value Topics#CHECKPOINTS} through the Reactive
 * Messaging channel {@value #CHANNEL}. Sent after the database commit and not waited for: if it is
 * lost, inference still finds the checkpoint by polling the database.
 */
@ApplicationScoped
public class CheckpointEvents {

  static final String CHANNEL = "checkpoint-announcements";
  private static final Logger LOG = Logger.getLogger(CheckpointEvents.class);

  private final PipelineKafka kafka;
  private final MutinyEmitter<byte[]> emitter;

  CheckpointEvents(PipelineKafka kafka, @Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
    this.kafka = kafka;
    this.emitter = emitter;
  }

  public void announce(CheckpointEvent event) {
    try {
      // no broker creates topics on first use, and the channel does not create its topic
      kafka.ensureTopic(Topics.CHECKPOINTS, Topics.CHECKPOINTS_PARTITIONS);
    } catch (IllegalStateException e) {
      LOG.warnf("checkpoint %d not announced: %s", event.getCheckpointId(), e.getMessage());
      return; // the inference service polls the database too
    }
    // inference's load of it joins the run's trace (the headers carry it)
    emitter
        .sendMessage(KeyedRecords.of(event.getRunId(), event.toByteArray()))
        .subscribe()
        .with(
            sent -> {},
            error ->
                LOG.warnf(
                    "checkpoint %d not announced: %s",
                    event.getCheckpointId(), error.getMessage()));
  }
}
