package dev.nin.trainer.training;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import dev.nin.trainer.runs.Run;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the trainer asks of ingest on {@value Topics#TRAINING_REQUESTS}: a run's data up to the
 * epoch it is on (ingest adds its few epochs ahead), and, when the run is over, that its topics can
 * go. Every request carries the whole spec, so each one stands alone and a repeated one publishes
 * nothing twice.
 */
final class DataRequests implements AutoCloseable {

  private final PipelineKafka kafka;
  private final KafkaProducer<String, byte[]> producer;

  DataRequests(PipelineKafka kafka) {
    this.kafka = kafka;
    this.producer = kafka.producer("trainer-requests");
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
        .setRequestedAtMs(System.currentTimeMillis());
  }

  private void send(Run run, TrainingRequest.Builder request)
      throws ExecutionException, InterruptedException, TimeoutException {
    kafka.ensureTopic(Topics.TRAINING_REQUESTS);
    var record =
        new ProducerRecord<>(
            Topics.TRAINING_REQUESTS, run.id().toString(), request.build().toByteArray());
    TraceContext.inject(record.headers()); // ingest's publication joins the run's trace
    producer.send(record).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    producer.close();
  }
}
