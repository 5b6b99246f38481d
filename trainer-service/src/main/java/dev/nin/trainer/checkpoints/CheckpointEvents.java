package dev.nin.trainer.checkpoints;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Announces committed, evaluated checkpoints on {@value Topics#CHECKPOINTS}. Sent after the
 * database commit; if it is lost, inference still finds the checkpoint by polling the database.
 */
@ApplicationScoped
// created at start, not inside the first run: its producer's thread would inherit the run's MDC
@io.quarkus.runtime.Startup
public class CheckpointEvents {

  private static final Logger LOG = Logger.getLogger(CheckpointEvents.class);

  private final PipelineKafka kafka;
  private final KafkaProducer<String, byte[]> producer;

  CheckpointEvents(PipelineKafka kafka) {
    this.kafka = kafka;
    this.producer = kafka.producer("trainer-checkpoints");
  }

  public void announce(CheckpointEvent event) {
    try {
      kafka.ensureTopic(Topics.CHECKPOINTS);
    } catch (IllegalStateException e) {
      LOG.warnf("checkpoint %d not announced: %s", event.getCheckpointId(), e.getMessage());
      return; // the inference service polls the database too
    }
    var record = new ProducerRecord<>(Topics.CHECKPOINTS, event.getRunId(), event.toByteArray());
    TraceContext.inject(record.headers()); // inference's load of it joins the run's trace
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            LOG.warnf(
                "checkpoint %d not announced: %s", event.getCheckpointId(), error.getMessage());
          }
        });
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
