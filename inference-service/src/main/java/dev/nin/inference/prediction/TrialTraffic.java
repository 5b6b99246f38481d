package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.inference.models.PromotionTrial;
import dev.nin.inference.models.PromotionTrial.Sampled;
import dev.nin.inference.models.PromotionTrial.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The requests a candidate on trial sees. A canary's share is answered by the candidate on its own
 * thread (should it fail, the serving model answers instead: a user never sees a canary's error). A
 * shadow's copies are scored after the serving model answered, on a thread with a short queue that
 * drops copies rather than delay anyone; their answers are only compared.
 */
@ApplicationScoped
public class TrialTraffic {

  private static final Logger LOG = Logger.getLogger(TrialTraffic.class);

  /** Requests waiting for the candidate at most; beyond it, the serving model takes them. */
  private static final int QUEUE = 16;

  private final PromotionTrial trial;
  private final MeterRegistry registry;
  private final Counter shadowDropped;
  private final ThreadPoolExecutor canaryThread = singleThread("canary");
  private final ThreadPoolExecutor shadowThread = singleThread("shadow");

  TrialTraffic(PromotionTrial trial, MeterRegistry registry) {
    this.trial = trial;
    this.registry = registry;
    this.shadowDropped =
        Counter.builder("nin_inference_shadow_dropped")
            .description("shadow copies not scored because the shadow was busy")
            .register(registry);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    // queued canary requests are answered (their callers wait on them); shadow copies may go
    canaryThread.shutdown();
    canaryThread.awaitTermination(10, TimeUnit.SECONDS);
    shadowThread.shutdownNow();
  }

  /** The canary's answer if this request is one of its share, else empty. */
  Optional<CompletableFuture<ScoredImages>> asCanary(
      byte[] pixels,
      int count,
      java.util.function.Supplier<CompletableFuture<ScoredImages>> serving) {
    Optional<Sampled> sampled = trial.sample(Stage.CANARY);
    if (sampled.isEmpty()) {
      return Optional.empty();
    }
    Sampled canary = sampled.get();
    var answer = new CompletableFuture<ScoredImages>();
    try {
      canaryThread.execute(
          () -> {
            long start = System.nanoTime();
            try (var lease = canary.lease()) {
              var scores = lease.model().predict(pixels, count);
              canary.answered(System.nanoTime() - start, false);
              timer(Stage.CANARY, "ok").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              answer.complete(
                  new ScoredImages(lease.model().version(), scores.probs(), scores.logits()));
            } catch (RuntimeException | Error e) {
              canary.answered(System.nanoTime() - start, true);
              timer(Stage.CANARY, "error").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              LOG.warnf(
                  "canary %d failed a request: %s", canary.trial().version().checkpointId(), e);
              serving.get().whenComplete((s, error) -> complete(answer, s, error));
            }
          });
    } catch (RejectedExecutionException busy) {
      canary.lease().close();
      return Optional.empty();
    }
    return Optional.of(answer);
  }

  /** Gives the shadow a copy of a request the serving model answered, if it is one of its share. */
  void shadow(byte[] pixels, int count, ScoredImages served) {
    Optional<Sampled> sampled = trial.sample(Stage.SHADOW);
    if (sampled.isEmpty()) {
      return;
    }
    Sampled shadow = sampled.get();
    try {
      shadowThread.execute(
          () -> {
            long start = System.nanoTime();
            try (var lease = shadow.lease()) {
              float[][] probs = lease.model().predict(pixels, count).probs();
              int agreed = 0;
              for (int i = 0; i < count; i++) {
                if (top1(probs[i]) == top1(served.probabilities()[i])) {
                  agreed++;
                }
              }
              shadow.shadowed(System.nanoTime() - start, false, count, agreed);
              timer(Stage.SHADOW, "ok").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } catch (RuntimeException | Error e) {
              shadow.shadowed(System.nanoTime() - start, true, 0, 0);
              timer(Stage.SHADOW, "error").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
          });
    } catch (RejectedExecutionException busy) {
      shadow.lease().close();
      shadowDropped.increment();
    }
  }

  private static int top1(float[] probabilities) {
    int best = 0;
    for (int c = 1; c < FashionMnist.CLASS_COUNT; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    return best;
  }

  private static void complete(
      CompletableFuture<ScoredImages> answer, ScoredImages scored, Throwable error) {
    if (error != null) {
      answer.completeExceptionally(error);
    } else {
      answer.complete(scored);
    }
  }

  /** Latency and outcome of the candidate's calls; the stage is the label (two values). */
  private Timer timer(Stage stage, String outcome) {
    return Timer.builder("nin_inference_trial_requests")
        .description("calls of the candidate on trial, by stage and outcome")
        .tags("stage", stage.name().toLowerCase(), "outcome", outcome)
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  private static ThreadPoolExecutor singleThread(String name) {
    var executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    return executor;
  }
}
