package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Groups concurrent requests into one model call: a worker takes the oldest request, then adds the
 * waiting ones, up to {@code max-batch-size} images. It waits for more only while the batch is
 * smaller than the recent batches were, and at most {@code max-delay} or, when longer, {@code
 * delay-fraction} of a model call of the expected size (capped at {@code max-adaptive-delay}): a
 * lone client is not held back (after a burst, the first lone requests wait that long while the
 * expected size decays), and a wave of concurrent requests is not split into a tiny batch and a
 * large one. Callers get a future and hold no thread while they wait (REST and gRPC both stay
 * non-blocking).
 */
@ApplicationScoped
public class DynamicBatcher {

  private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

  private record Job(byte[] pixels, int count, CompletableFuture<ScoredImages> result) {}

  private final ActiveModel active;
  private final InferenceConfig.Batching config;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedImages = new AtomicInteger();
  private final DistributionSummary batchSizes;
  private final Timer modelCalls;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  DynamicBatcher(ActiveModel active, InferenceConfig config, MeterRegistry registry) {
    this.active = active;
    this.config = config.batching();
    double fraction = this.config.delayFraction();
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "nin.inference.batching.delay-fraction must be in [0, 1], was " + fraction);
    }
    this.batchSizes =
        DistributionSummary.builder("nin_inference_batch_size")
            .description("images per model call")
            .publishPercentileHistogram()
            .maximumExpectedValue((double) Math.max(config.limits().maxImages(), 64))
            .register(registry);
    registry.gauge("nin_inference_queued_images", queuedImages);
    // the model's own time: against the wall clock, the share of it the model is busy, and against
    // the batch sizes, its speed inside the service (scripts/bench.sh serve prints both)
    this.modelCalls =
        Timer.builder("nin_inference_model_call")
            .description("model calls of the serving batcher, input copy to output rows")
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    for (int i = 0; i < config.workers(); i++) {
      Thread worker = new Thread(this::work, "batcher-" + i);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    workers.forEach(Thread::interrupt);
  }

  /** Scores {@code count} raw 28×28 images; completes exceptionally with the reason it cannot. */
  public CompletableFuture<ScoredImages> submit(byte[] pixels, int count) {
    var result = new CompletableFuture<ScoredImages>();
    if (active.version().isEmpty()) {
      result.completeExceptionally(new NoModelException());
      return result;
    }
    int queued = queuedImages.addAndGet(count);
    if (queued > config.queueCapacity() && queued != count) {
      queuedImages.addAndGet(-count);
      result.completeExceptionally(new OverloadedException(queued - count, config.queueCapacity()));
      return result;
    }
    queue.add(new Job(pixels, count, result));
    return result;
  }

  private void work() {
    Job carried = null;
    // How many images the recent batches held: under steady load the requests come back in waves
    // of about that size, so a batch waits (at most max-delay) for that many, and no longer.
    double expected = 1;
    // recent model time per image (a moving average: one slow call, a warm-up or a GC pause
    // barely moves it), 0 until a call has succeeded
    double nanosPerImage = 0;
    while (running) {
      try {
        List<Job> batch = new ArrayList<>();
        Job first = carried != null ? carried : queue.take();
        carried = null;
        batch.add(first);
        int images = first.count();
        int target = (int) Math.min(config.maxBatchSize(), Math.round(expected));
        long delay =
            Math.max(
                config.maxDelay().toNanos(),
                Math.min(
                    config.maxAdaptiveDelay().toNanos(),
                    (long) (config.delayFraction() * nanosPerImage * target)));
        long deadline = System.nanoTime() + delay;
        while (images < config.maxBatchSize()) {
          long wait = images < target ? deadline - System.nanoTime() : 0;
          Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          if (images + next.count() > config.maxBatchSize()) {
            carried = next; // starts the next batch: a batch never exceeds the maximum
            break;
          }
          batch.add(next);
          images += next.count();
        }
        expected = Math.max(images, expected * 0.9);
        long called = run(batch, images);
        if (called > 0) {
          double perImage = (double) called / images;
          nanosPerImage = nanosPerImage == 0 ? perImage : 0.8 * nanosPerImage + 0.2 * perImage;
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  /**
   * Scores one batch and answers its jobs; returns how long the model call took (ns), or 0 when
   * there was no call or it failed (a failure's time says nothing about the model's speed).
   */
  private long run(List<Job> batch, int images) {
    queuedImages.addAndGet(-images);
    batchSizes.record(images);
    var lease = active.lease();
    if (lease.isEmpty()) {
      batch.forEach(job -> job.result().completeExceptionally(new NoModelException()));
      return 0;
    }
    long start = System.nanoTime();
    try (var held = lease.get()) {
      byte[] pixels = concatenate(batch, images);
      var scores = held.model().predict(pixels, images);
      long called = System.nanoTime() - start;
      modelCalls.record(called, TimeUnit.NANOSECONDS);
      int offset = 0;
      for (Job job : batch) {
        job.result()
            .complete(
                new ScoredImages(
                    held.model().version(),
                    rowsOf(scores.probs(), offset, job.count()),
                    rowsOf(scores.logits(), offset, job.count())));
        offset += job.count();
      }
      return called;
    } catch (RuntimeException e) {
      LOG.errorf(e, "a batch of %d images failed", images);
      batch.forEach(job -> job.result().completeExceptionally(e));
      return 0;
    }
  }

  /** A job's own rows of the batch's; null stays null (a model without logits). */
  private static float[][] rowsOf(float[][] rows, int offset, int count) {
    if (rows == null) {
      return null;
    }
    float[][] own = new float[count][];
    System.arraycopy(rows, offset, own, 0, count);
    return own;
  }

  private static byte[] concatenate(List<Job> batch, int images) {
    if (batch.size() == 1) {
      return batch.get(0).pixels();
    }
    byte[] all = new byte[images * FashionMnist.PIXELS];
    int offset = 0;
    for (Job job : batch) {
      System.arraycopy(job.pixels(), 0, all, offset, job.pixels().length);
      offset += job.pixels().length;
    }
    return all;
  }
}
