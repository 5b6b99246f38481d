package dev.nin.trainer.training;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.LabeledImages;
import dev.nin.dataset.RunStream;
import dev.nin.servicekit.kafka.PipelineKafka;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays ingest-service's part for the trainer's tests through the shared contract: answers each
 * run's first {@code TrainingRequest} by publishing the whole {@link RunStream} of the official
 * data (ingest's epochs-ahead publication and topic deletion are ingest-service's tests).
 */
public final class IngestStandIn implements AutoCloseable {

  private final PipelineKafka kafka;
  private final boolean garbageFirst;
  private final Thread thread;
  private final Set<UUID> published = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  public IngestStandIn(PipelineKafka kafka) throws Exception {
    this(kafka, false);
  }

  /**
   * @param garbageFirst write a record that is no {@code ImageBatch} before each run's training
   *     batches, as a broken or hostile producer might
   */
  public IngestStandIn(PipelineKafka kafka, boolean garbageFirst) throws Exception {
    this.kafka = kafka;
    this.garbageFirst = garbageFirst;
    LabeledImages train = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TRAIN);
    LabeledImages test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    thread = new Thread(() -> serve(train, test), "ingest-stand-in");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(LabeledImages train, LabeledImages test) {
    try (var consumer = kafka.consumer("ingest-stand-in");
        var producer = kafka.producer("ingest-stand-in")) {
      consumer.subscribe(List.of(Topics.TRAINING_REQUESTS));
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var request = TrainingRequest.parseFrom(record.value());
          var spec = RunStream.Spec.of(request);
          // the whole run at its first request: later ones (next epochs, the end) add nothing
          if (request.getRunEnded() || !published.add(spec.runId())) {
            continue;
          }
          kafka.ensureTopic(Topics.testBatches(spec.runId()));
          kafka.ensureTopic(Topics.trainBatches(spec.runId()));
          if (garbageFirst) {
            producer.send(
                new ProducerRecord<>(
                    Topics.trainBatches(spec.runId()), "garbage", new byte[] {(byte) 0xff, 0x13}));
          }
          for (var stream : List.of(RunStream.test(spec, test), RunStream.train(spec, train))) {
            for (long k = 0; k < stream.size(); k++) {
              var published =
                  new ProducerRecord<>(
                      stream.topic(), stream.key(k), stream.batch(k).toByteArray());
              stream
                  .datasetHeaders()
                  .forEach((name, value) -> published.headers().add(name, value));
              producer.send(published);
            }
          }
          producer.flush();
        }
      }
    } catch (Exception e) {
      if (running) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
  }
}
