package dev.nin.ingest.publishing;

import com.google.protobuf.ByteString;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.Topics;
import dev.nin.contracts.dataset.Augmentation;
import dev.nin.contracts.dataset.FashionMnistFiles.Split;
import dev.nin.contracts.dataset.LabeledImages;
import dev.nin.contracts.dataset.SamplingPlan;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.ingest.dataset.FashionMnistDataset;
import dev.nin.ingest.messaging.KafkaClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes a run's data: the test split once, then every epoch's training split in the order
 * {@link SamplingPlan} gives for (seed, epoch). The stream is a pure function of the request, and
 * each topic has one partition, so a redelivered request (or one retried after a crash) resumes
 * after the records the topic already holds: every batch is published exactly once.
 */
@ApplicationScoped
public class RunPublisher {

  private static final Logger LOG = Logger.getLogger(RunPublisher.class);
  private static final int TEST_BATCH_SIZE_CAP = 1000;

  private final FashionMnistDataset dataset;
  private final RunTopics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final Counter batchesPublished;

  RunPublisher(
      FashionMnistDataset dataset, RunTopics topics, KafkaClients clients, MeterRegistry registry) {
    this.dataset = dataset;
    this.topics = topics;
    this.producer = clients.producer("ingest-batches");
    this.batchesPublished = registry.counter("nin_ingest_batches_published_total");
  }

  /** What a publication did: batches it found already published and batches it sent. */
  public record Publication(long alreadyPublished, long sent) {}

  public Publication publish(RunRequest run) throws ExecutionException, InterruptedException {
    long start = System.nanoTime();
    var test = dataset.split(Split.TEST);
    int[] testSubset =
        SamplingPlan.stratifiedSubset(test, run.testLimit(), run.seed(), FashionMnist.CLASS_COUNT);
    var train = dataset.split(Split.TRAIN);
    int[] trainSubset =
        SamplingPlan.stratifiedSubset(
            train, run.trainLimit(), run.seed(), FashionMnist.CLASS_COUNT);

    // Test batches are only evaluated: larger ones mean fewer records, same result.
    int testBatch = Math.max(run.batchSize(), Math.min(TEST_BATCH_SIZE_CAP, testSubset.length));
    var testStream = new BatchStream(run, Split.TEST, test, List.of(testSubset), testBatch);
    var epochs = new ArrayList<int[]>();
    for (int epoch = 0; epoch < run.epochs(); epoch++) {
      epochs.add(SamplingPlan.epochOrder(trainSubset, run.seed(), epoch));
    }
    var trainStream = new BatchStream(run, Split.TRAIN, train, epochs, run.batchSize());

    long skipped = 0;
    long sent = 0;
    for (var stream : List.of(testStream, trainStream)) {
      String topic = stream.topic();
      topics.ensure(topic);
      long already = topics.recordCount(topic);
      if (already > stream.size()) {
        throw new IllegalStateException(
            topic + " holds " + already + " records, more than the run's " + stream.size());
      }
      skipped += already;
      var pending = new ArrayList<Future<RecordMetadata>>();
      for (long k = already; k < stream.size(); k++) {
        var record = stream.record(k);
        pending.add(
            producer.send(
                record,
                (metadata, error) -> {
                  if (error == null) {
                    batchesPublished.increment();
                  }
                }));
        sent++;
      }
      producer.flush();
      for (var future : pending) {
        future.get(); // surfaces any send failure; the retry resumes from the topic's count
      }
    }
    LOG.infof(
        "run %s published: %d batches sent, %d already there (%d epochs, %d train + %d test images)"
            + " in %d ms",
        run.runId(),
        sent,
        skipped,
        run.epochs(),
        trainSubset.length,
        testSubset.length,
        (System.nanoTime() - start) / 1_000_000);
    return new Publication(skipped, sent);
  }

  /** The k-th record of one split's stream, computed, never stored. */
  private record BatchStream(
      RunRequest run, Split split, LabeledImages images, List<int[]> epochOrders, int batchSize) {

    String topic() {
      return split == Split.TRAIN
          ? Topics.trainBatches(run.runId())
          : Topics.testBatches(run.runId());
    }

    int batchesPerEpoch() {
      return SamplingPlan.batchCount(epochOrders.get(0).length, batchSize);
    }

    long size() {
      return (long) batchesPerEpoch() * epochOrders.size();
    }

    ProducerRecord<String, byte[]> record(long k) {
      int epoch = (int) (k / batchesPerEpoch());
      int index = (int) (k % batchesPerEpoch());
      int[] order = epochOrders.get(epoch);
      int from = index * batchSize;
      var slice = images.select(order, from, Math.min(order.length, from + batchSize));
      byte[] pixels = slice.pixels();
      if (run.augment() && split == Split.TRAIN) {
        Augmentation.flipHorizontally(pixels, run.seed(), epoch, index);
      }
      var batch =
          ImageBatch.newBuilder()
              .setRunId(run.runId().toString())
              .setSplit(
                  split == Split.TRAIN
                      ? dev.nin.contracts.v1.Split.TRAIN
                      : dev.nin.contracts.v1.Split.TEST)
              .setEpoch(epoch)
              .setIndex(index)
              .setBatchCount(batchesPerEpoch())
              .setSplitImageCount(order.length)
              .setHeight(FashionMnist.HEIGHT)
              .setWidth(FashionMnist.WIDTH)
              .setPixels(ByteString.copyFrom(pixels))
              .setLabels(ByteString.copyFrom(slice.labels()))
              .build();
      return new ProducerRecord<>(topic(), epoch + "/" + index, batch.toByteArray());
    }
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
