package dev.nin.inference.prediction;

import com.google.protobuf.ByteString;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ServedImage;
import dev.nin.contracts.v1.ServedPrediction;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.CountedSample;
import dev.nin.servicekit.kafka.PipelineKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes a sample of the served requests to {@value Topics#PREDICTIONS}, sampled by count
 * ({@link CountedSample}: a rate of 0.1 logs exactly every tenth). Records are built and sent on
 * one thread of their own with a short queue: a slow or absent broker drops log records (counted),
 * it never delays an answer. Off by default; no producer exists until the first sampled request.
 */
@ApplicationScoped
public class PredictionLog {

  private static final Logger LOG = Logger.getLogger(PredictionLog.class);
  private static final int TOP = 3;
  private static final int QUEUE = 1024;

  private final PipelineKafka kafka;
  private final boolean includePixels;
  private final CountedSample sample;
  private final Counter logged;
  private final Counter dropped;
  private final ThreadPoolExecutor sender;
  private KafkaProducer<String, byte[]> producer; // on the sender thread only

  PredictionLog(PipelineKafka kafka, InferenceConfig config, MeterRegistry registry) {
    this.kafka = kafka;
    double rate = config.predictionLog().sampleRate();
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException(
          "nin.inference.prediction-log.sample-rate is between 0 and 1, not " + rate);
    }
    this.sample = new CountedSample(rate);
    this.includePixels = config.predictionLog().includePixels();
    this.logged = registry.counter("nin_inference_predictions_logged");
    this.dropped = registry.counter("nin_inference_predictions_log_dropped");
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "prediction-log");
              t.setDaemon(true);
              return t;
            });
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    sender.shutdown();
    sender.awaitTermination(5, TimeUnit.SECONDS);
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }

  /** Logs this answered request if it is one of the sample. */
  void served(
      String requestId,
      String transport,
      ScoredImages scored,
      byte[] pixels,
      int count,
      long latencyNanos) {
    if (!sample.next()) {
      return;
    }
    long at = System.currentTimeMillis();
    try {
      sender.execute(
          () -> send(record(requestId, transport, scored, pixels, count, latencyNanos, at)));
    } catch (RejectedExecutionException busy) {
      dropped.increment();
    }
  }

  private ServedPrediction record(
      String requestId,
      String transport,
      ScoredImages scored,
      byte[] pixels,
      int count,
      long latencyNanos,
      long at) {
    var record =
        ServedPrediction.newBuilder()
            .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
            .setTransport(transport)
            .setCheckpointId(scored.version().checkpointId())
            .setServedAtUnixMillis(at)
            .setLatencyMillis(latencyNanos / 1e6);
    for (int i = 0; i < count; i++) {
      var image = ServedImage.newBuilder();
      for (var score : ClassScore.top(scored.probabilities()[i], TOP)) {
        image.addTop(
            dev.nin.contracts.v1.ClassScore.newBuilder()
                .setLabel(score.label())
                .setName(score.name())
                .setProbability(score.probability()));
      }
      if (includePixels) {
        image.setPixels(
            ByteString.copyFrom(
                Arrays.copyOfRange(
                    pixels, i * FashionMnist.PIXELS, (i + 1) * FashionMnist.PIXELS)));
      }
      record.addImages(image);
    }
    return record.build();
  }

  private void send(ServedPrediction record) {
    try {
      if (producer == null) {
        kafka.ensureTopic(Topics.PREDICTIONS);
        producer = kafka.producer("inference-predictions");
      }
      producer.send(
          new ProducerRecord<>(Topics.PREDICTIONS, record.getRequestId(), record.toByteArray()),
          (metadata, error) -> {
            if (error != null) {
              dropped.increment();
              LOG.debugf("a prediction log record was lost: %s", error.getMessage());
            } else {
              logged.increment();
            }
          });
    } catch (RuntimeException e) {
      dropped.increment();
      LOG.warnf("prediction log: cannot publish (%s); the record is dropped", e.getMessage());
    }
  }
}
