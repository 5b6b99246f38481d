package dev.nin.ingest.publishing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.RunStream;
import dev.nin.ingest.config.IngestConfig;
import dev.nin.ingest.dataset.FashionMnistDataset;
import dev.nin.servicekit.kafka.ConsumerLoop;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Consumes {@value Topics#TRAINING_REQUESTS} one record at a time: publishes a run's data up to a
 * few epochs beyond the one its trainer is on, or deletes the run's topics once it ended. It
 * commits a request's offset only after its publication, so a crash mid-publication redelivers the
 * request and the publisher resumes where the topics end. A request that cannot be used, or whose
 * run topic holds another stream, goes to the dead letters; one that fails for another reason is
 * retried, and readiness turns DOWN while it keeps failing.
 */
@ApplicationScoped
public class TrainingRequestListener {

  private static final Logger LOG = Logger.getLogger(TrainingRequestListener.class);
  static final String GROUP = "nin-ingest";

  private final RunPublisher publisher;
  private final RunTopics topics;
  private final IngestConfig config;
  private final DeadLetterPublisher deadLetters;
  private final FashionMnistDataset dataset;
  private final MeterRegistry registry;
  private final ConsumerLoop loop;
  private final io.opentelemetry.api.trace.Tracer tracer;

  TrainingRequestListener(
      PipelineKafka clients,
      RunPublisher publisher,
      RunTopics topics,
      IngestConfig config,
      FashionMnistDataset dataset,
      MeterRegistry registry,
      io.opentelemetry.api.trace.Tracer tracer) {
    this.tracer = tracer;
    this.publisher = publisher;
    this.topics = topics;
    this.config = config;
    this.deadLetters =
        new DeadLetterPublisher(
            clients,
            "ingest-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
    this.dataset = dataset;
    this.registry = registry;
    // The request's offset is committed only after its run is fully published: a crash
    // mid-publication redelivers it, and the publisher resumes where the topics end.
    this.loop =
        new ConsumerLoop(
            "training-request-listener",
            () -> clients.consumer(GROUP),
            c -> {
              // no broker creates topics on first use: a consumer of a missing one only waits
              clients.ensureTopic(Topics.TRAINING_REQUESTS);
              c.subscribe(List.of(Topics.TRAINING_REQUESTS));
            },
            (c, record) -> {
              handle(record);
              c.commitSync(
                  Map.of(
                      new TopicPartition(record.topic(), record.partition()),
                      new OffsetAndMetadata(record.offset() + 1)));
            },
            Duration.ofSeconds(2));
  }

  /** Whether requests are going through (for the readiness check). */
  public ConsumerLoop.Status status() {
    return loop.status();
  }

  void start(@Observes StartupEvent event) {
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    loop.stop();
    deadLetters.close();
  }

  /** Handles one request inside a span of the run's trace (carried in the record's headers). */
  void handle(ConsumerRecord<String, byte[]> record) {
    var span =
        tracer
            .spanBuilder("ingest training request")
            .setParent(TraceContext.extract(record.headers()))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CONSUMER)
            .setAttribute("messaging.destination.name", record.topic())
            .setAttribute("nin.run.id", String.valueOf(record.key()))
            .startSpan();
    try (var scope = span.makeCurrent()) {
      handleInSpan(record);
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private void handleInSpan(ConsumerRecord<String, byte[]> record) {
    RunStream.Spec run;
    TrainingRequest request;
    try {
      request = TrainingRequest.parseFrom(record.value() == null ? new byte[0] : record.value());
      run =
          RunRequests.validate(
              request, dataset.split(Split.TRAIN).count(), dataset.split(Split.TEST).count());
    } catch (InvalidProtocolBufferException e) {
      deadLetters.send(record, "not a TrainingRequest protobuf: " + e.getMessage());
      registry.counter("nin_ingest_requests_total", "outcome", "dead-letter").increment();
      return;
    } catch (InvalidRequestException e) {
      deadLetters.send(record, "invalid TrainingRequest: " + e.getMessage());
      registry.counter("nin_ingest_requests_total", "outcome", "dead-letter").increment();
      return;
    }
    try {
      if (request.getRunEnded()) {
        if (config.runTopics().deleteWhenEnded()) {
          topics.delete(run.runId());
          LOG.infof("run %s ended: its topics are deleted", run.runId());
        }
        registry.counter("nin_ingest_requests_total", "outcome", "ended").increment();
        return;
      }
      publisher.publish(run, request.getCurrentEpoch() + config.runTopics().epochsAhead());
      registry.counter("nin_ingest_requests_total", "outcome", "published").increment();
    } catch (RunTopicConflictException e) {
      // no retry can fix it: dead-lettered, so that every later request still goes through
      LOG.warnf("run %s cannot be published: %s", run.runId(), e.getMessage());
      deadLetters.send(record, "run topic conflict: " + e.getMessage());
      registry.counter("nin_ingest_requests_total", "outcome", "dead-letter").increment();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("publishing run " + run.runId() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
