package dev.nin.inference.prediction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Scores validated images through the batcher and counts every request by transport and outcome.
 */
@ApplicationScoped
public class PredictionService {

  private final DynamicBatcher batcher;
  private final TrialTraffic trial;
  private final PredictionLog log;
  private final MeterRegistry registry;

  PredictionService(
      DynamicBatcher batcher, TrialTraffic trial, PredictionLog log, MeterRegistry registry) {
    this.batcher = batcher;
    this.trial = trial;
    this.log = log;
    this.registry = registry;
  }

  /**
   * Scores through the batcher with the serving model, or with the candidate when this request is
   * one of a canary's share; a shadowed candidate gets a copy once the serving model answered.
   */
  public CompletableFuture<ScoredImages> score(byte[] pixels, int count, String transport) {
    return score(pixels, count, transport, null);
  }

  /** As {@link #score(byte[], int, String)}, with the client's request id for the log. */
  public CompletableFuture<ScoredImages> score(
      byte[] pixels, int count, String transport, String requestId) {
    long start = System.nanoTime();
    var canary = trial.asCanary(pixels, count, () -> batcher.submit(pixels, count));
    if (canary.isPresent()) {
      return canary
          .get()
          .whenComplete(
              (scored, error) ->
                  answered(requestId, transport, pixels, count, start, scored, error));
    }
    return batcher
        .submit(pixels, count)
        .whenComplete(
            (scored, error) -> {
              answered(requestId, transport, pixels, count, start, scored, error);
              if (scored != null) {
                trial.shadow(pixels, count, scored);
              }
            });
  }

  private void answered(
      String requestId,
      String transport,
      byte[] pixels,
      int count,
      long start,
      ScoredImages scored,
      Throwable error) {
    record(transport, outcome(error), start, count);
    if (scored != null) {
      log.served(requestId, transport, scored, pixels, count, System.nanoTime() - start);
    }
  }

  /**
   * Scores on the calling (worker) thread with a model the caller holds a lease on: a version asked
   * for by id rather than the serving one, which the batcher does not hold.
   */
  public ScoredImages scoreWith(
      dev.nin.inference.models.ActiveModel.Lease lease,
      byte[] pixels,
      int count,
      String transport,
      String requestId) {
    long start = System.nanoTime();
    try {
      var scores = lease.model().predict(pixels, count);
      record(transport, "ok", start, count);
      var scored = new ScoredImages(lease.model().version(), scores.probs(), scores.logits());
      log.served(requestId, transport, scored, pixels, count, System.nanoTime() - start);
      return scored;
    } catch (RuntimeException e) {
      record(transport, outcome(e), start, count);
      throw e;
    }
  }

  /** Requests refused before they reach the model (bad input, too large) are counted too. */
  public void recordRefused(String transport, RuntimeException error) {
    record(transport, outcome(error), System.nanoTime(), 0);
  }

  private void record(String transport, String outcome, long start, int images) {
    Timer.builder("nin_inference_requests")
        .description("prediction requests, with their latency")
        .tags("transport", transport, "outcome", outcome)
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    if (images > 0) {
      registry.counter("nin_inference_images", "transport", transport).increment(images);
    }
  }

  private static String outcome(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause == null) {
      return "ok";
    }
    if (cause instanceof NoModelException || cause instanceof OverloadedException) {
      return "unavailable";
    }
    if (cause instanceof TooLargeException
        || cause instanceof dev.nin.servicekit.web.InvalidFieldException) {
      return "invalid";
    }
    return "error";
  }
}
