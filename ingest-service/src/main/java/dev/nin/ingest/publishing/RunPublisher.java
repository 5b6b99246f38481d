package dev.nin.ingest.publishing;

import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.RunStream;
import dev.nin.ingest.dataset.FashionMnistDataset;
import dev.nin.servicekit.kafka.PipelineKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes a run's data ({@link RunStream}): the test split once, then the training split epoch by
 * epoch in the order seeded by (seed, epoch), up to the epoch a request asks for. The stream is a
 * pure function of the request, and each topic has one partition, so a redelivered request (or one
 * retried after a crash) resumes after the records the topic already holds: every batch is
 * published exactly once.
 */
@ApplicationScoped
public class RunPublisher {

  private static final Logger LOG = Logger.getLogger(RunPublisher.class);

  private final FashionMnistDataset dataset;
  private final RunTopics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final Counter batchesPublished;
  private final Counter bytesPublished;
  private final io.micrometer.core.instrument.Timer publications;

  RunPublisher(
      FashionMnistDataset dataset,
      RunTopics topics,
      PipelineKafka clients,
      MeterRegistry registry) {
    this.dataset = dataset;
    this.topics = topics;
    this.producer = clients.producer("ingest-batches");
    this.batchesPublished = registry.counter("nin_ingest_batches_published_total");
    this.bytesPublished = registry.counter("nin_ingest_bytes_published_total");
    // one observation per publication (a run's test split and epochs up to the one asked for);
    // not labelled by run, so the series stay few however many runs there are
    this.publications =
        io.micrometer.core.instrument.Timer.builder("nin_ingest_publication")
            .description("time to publish a run's batches up to the epoch asked for")
            .register(registry);
  }

  /** What a publication did: batches it found already published and batches it sent. */
  public record Publication(long alreadyPublished, long sent) {}

  /**
   * Publishes the test split and the training epochs up to {@code lastEpoch} (counted from 0; at
   * most the run's last), after whatever the topics already hold.
   */
  public Publication publish(RunStream.Spec spec, int lastEpoch)
      throws ExecutionException, InterruptedException {
    long start = System.nanoTime();
    var test = RunStream.test(spec, dataset.split(Split.TEST));
    var train = RunStream.train(spec, dataset.split(Split.TRAIN));
    int throughEpoch = Math.min(lastEpoch, spec.epochs() - 1);

    long skipped = 0;
    long sent = 0;
    for (var stream : List.of(test, train)) {
      String topic = stream.topic();
      long target =
          stream == test ? stream.size() : (long) (throughEpoch + 1) * stream.batchesPerEpoch();
      topics.ensure(topic);
      long already = topics.recordCount(topic);
      if (already > stream.size()) {
        throw new RunTopicConflictException(
            topic + " holds " + already + " records, more than the run's " + stream.size());
      }
      if (already > 0) {
        // resuming after the records already there: they must be this run's, first and last
        requireRunsRecord(stream, topic, 0);
        requireRunsRecord(stream, topic, already - 1);
      }
      skipped += Math.min(already, target);
      LOG.infof(
          "run %s: publishing %s through batch %d of %d, %d already there",
          spec.runId(), topic, target, stream.size(), already);
      var pending = new ArrayList<Future<RecordMetadata>>();
      for (long k = already; k < target; k++) {
        var record = record(stream, k);
        int bytes = record.value().length;
        pending.add(
            producer.send(
                record,
                (metadata, error) -> {
                  if (error == null) {
                    batchesPublished.increment();
                    bytesPublished.increment(bytes);
                  }
                }));
        sent++;
      }
      producer.flush();
      for (var future : pending) {
        future.get(); // surfaces any send failure; the retry resumes from the topic's count
      }
    }
    publications.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    LOG.infof(
        "run %s published through epoch %d of %d: %d batches sent, %d already there (%d train + %d"
            + " test images an epoch) in %d ms",
        spec.runId(),
        throughEpoch + 1,
        spec.epochs(),
        sent,
        skipped,
        train.imagesPerEpoch(),
        test.imagesPerEpoch(),
        (System.nanoTime() - start) / 1_000_000);
    return new Publication(skipped, sent);
  }

  private void requireRunsRecord(RunStream stream, String topic, long k) {
    var found = topics.recordAt(topic, k);
    if (found.isEmpty()) {
      throw new IllegalStateException("could not read record " + k + " of " + topic);
    }
    var record = found.get();
    if (!stream.key(k).equals(record.key())
        || !Arrays.equals(stream.batch(k).toByteArray(), record.value())) {
      throw new RunTopicConflictException(
          topic
              + " holds records that are not this run's stream (record "
              + k
              + " has key '"
              + record.key()
              + "', the run's is '"
              + stream.key(k)
              + "')");
    }
  }

  @PreDestroy
  void close() {
    producer.close();
  }

  /** Record {@code k} of a stream as published: its key, its batch, the dataset's headers. */
  static ProducerRecord<String, byte[]> record(RunStream stream, long k) {
    var record = new ProducerRecord<>(stream.topic(), stream.key(k), stream.batch(k).toByteArray());
    stream.datasetHeaders().forEach((name, value) -> record.headers().add(name, value));
    return record;
  }
}
