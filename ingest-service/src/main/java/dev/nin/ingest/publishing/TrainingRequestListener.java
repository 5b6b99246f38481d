package dev.nin.ingest.publishing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.RunStream;
import dev.nin.ingest.config.IngestConfig;
import dev.nin.ingest.dataset.FashionMnistDataset;
import dev.nin.servicekit.kafka.DeadLetterChannel;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@value Topics#TRAINING_REQUESTS} through the Reactive Messaging channel {@value
 * #CHANNEL}, one record at a time: publishes a run's data up to a few epochs beyond the one its
 * trainer is on, or deletes the run's topics once it ended. The channel commits a request's offset
 * only when this method returns (commit-strategy=latest), so a crash mid-publication redelivers the
 * request and the publisher resumes where the topics end. A request that cannot be used, or whose
 * run topic holds another stream, goes to the dead letters and is acked; one that fails for another
 * reason is retried in place, and readiness turns DOWN while it keeps failing.
 */
@ApplicationScoped
public class TrainingRequestListener {

  private static final Logger LOG = Logger.getLogger(TrainingRequestListener.class);
  static final String CHANNEL = "training-requests";
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(2);

  private final PipelineKafka clients;
  private final RunPublisher publisher;
  private final RunTopics topics;
  private final IngestConfig config;
  private final DeadLetterPublisher deadLetters;
  private final FashionMnistDataset dataset;
  private final MeterRegistry registry;
  private final RequestProgress progress;
  private final RequestHandover handover;
  private final io.opentelemetry.api.trace.Tracer tracer;
  private volatile boolean stopping;

  TrainingRequestListener(
      PipelineKafka clients,
      RunPublisher publisher,
      RunTopics topics,
      IngestConfig config,
      FashionMnistDataset dataset,
      MeterRegistry registry,
      RequestProgress progress,
      DeadLetterChannel deadLetterChannel,
      @Identifier(RequestHandover.NAME) RequestHandover handover,
      io.opentelemetry.api.trace.Tracer tracer) {
    this.handover = handover;
    this.clients = clients;
    this.tracer = tracer;
    this.publisher = publisher;
    this.topics = topics;
    this.config = config;
    this.deadLetters =
        new DeadLetterPublisher(
            clients,
            deadLetterChannel,
            "ingest-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
    this.dataset = dataset;
    this.registry = registry;
    this.progress = progress;
  }

  /**
   * No broker creates topics on first use, and a consumer of a missing topic only waits: create it
   * before the channel subscribes (Reactive Messaging starts on a later StartupEvent observer). If
   * the broker is not up yet the trainer creates it before its first request.
   */
  void ensureTopic(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    try {
      clients.ensureTopic(Topics.TRAINING_REQUESTS);
    } catch (IllegalStateException unreachable) {
      LOG.warnf("%s not ensured at start: %s", Topics.TRAINING_REQUESTS, unreachable.getMessage());
    }
  }

  void stopping(@Observes ShutdownEvent event) {
    stopping = true;
  }

  /**
   * One request, retried in place until it goes through: the record never leaves this method while
   * a retry may fix it, so nothing after it is committed past it, and {@link RequestProgress} shows
   * the stall to readiness. Only at shutdown is it given up (nacked, so uncommitted, and
   * redelivered to whoever consumes next).
   */
  @Incoming(CHANNEL)
  @Blocking
  public void onRequest(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    if (stopping) {
      // not started at all: nacked, so not committed, and redelivered to whoever consumes next
      throw new IllegalStateException("ingest is stopping");
    }
    handover.begin();
    boolean done = false;
    try {
      while (true) {
        try {
          handle(record);
          progress.succeeded();
          done = true;
          return;
        } catch (RuntimeException e) {
          progress.failed(e);
          if (stopping) {
            throw e;
          }
          LOG.warnf(
              "request for run %s failed, retrying in %d s: %s",
              record.key(), PAUSE_AFTER_FAILURE.toSeconds(), e.getMessage());
          Thread.sleep(PAUSE_AFTER_FAILURE.toMillis());
        }
      }
    } finally {
      handover.end(record, done);
    }
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
