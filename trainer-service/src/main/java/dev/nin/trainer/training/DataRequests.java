package dev.nin.trainer.training;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.KeyedRecords;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.trainer.runs.Run;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * What the trainer asks of ingest on {@value Topics#TRAINING_REQUESTS}, through the Reactive
 * Messaging channel {@value #CHANNEL}: a run's data up to the epoch it is on (ingest adds its few
 * epochs ahead), and, when the run is over, that its topics can go. Every request carries the whole
 * spec, so each one stands alone and a repeated one publishes nothing twice.
 */
@ApplicationScoped
public class DataRequests {

  static final String CHANNEL = "data-requests";
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final PipelineKafka kafka;
  private final MutinyEmitter<byte[]> emitter;

  DataRequests(PipelineKafka kafka, @Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
    this.kafka = kafka;
    this.emitter = emitter;
  }

  /** Data for the epoch the run is on and the few after it. */
  void upToEpoch(Run run, int currentEpoch)
      throws ExecutionException, InterruptedException, TimeoutException {
    send(run, spec(run).setCurrentEpoch(currentEpoch));
  }

  /** The run succeeded, failed or was cancelled: its batches are no longer needed. */
  void ended(Run run) throws ExecutionException, InterruptedException, TimeoutException {
    send(run, spec(run).setRunEnded(true));
  }

  private static TrainingRequest.Builder spec(Run run) {
    var p = run.parameters();
    return TrainingRequest.newBuilder()
        .setRunId(run.id().toString())
        .setSeed(p.seed())
        .setBatchSize(p.batchSize())
        .setEpochs(p.epochs())
        .setTrainLimit(p.trainLimit() == null ? 0 : p.trainLimit())
        .setTestLimit(p.testLimit() == null ? 0 : p.testLimit())
        .setAugment(p.augment())
        .setCropPadding(p.cropPadding())
        .setRequestedAtMs(System.currentTimeMillis());
  }

  /**
   * Waits for the broker's acknowledgement (the run cannot train on data nobody was asked for);
   * called on the training worker, never on an event loop.
   */
  private void send(Run run, TrainingRequest.Builder request)
      throws ExecutionException, InterruptedException, TimeoutException {
    kafka.ensureTopic(Topics.TRAINING_REQUESTS);
    // ingest's publication joins the run's trace (the headers carry it)
    var message = KeyedRecords.of(run.id().toString(), request.build().toByteArray());
    try {
      emitter.sendMessage(message).await().atMost(ACK_TIMEOUT);
    } catch (io.smallrye.mutiny.TimeoutException e) {
      throw new TimeoutException("no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s");
    } catch (RuntimeException e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        Thread
            .interrupted(); // thrown as InterruptedException, so no longer pending (as get() does)
        throw interrupted;
      }
      throw new ExecutionException("request for run " + run.id() + " not sent", e);
    }
  }
}
