package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel.Lease;
import dev.nin.inference.models.ModelEvent.TrialFigures;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The candidate on trial beside the serving model: first in shadow (it gets a copy of a share of
 * the requests; its answers are compared and discarded), then as a canary (it answers a share of
 * the requests itself). The model updater starts, advances and ends trials on its own thread; the
 * prediction path asks for a lease and reports what each request measured. Requests are sampled by
 * count ({@link CountedSample}): with 10 percent, exactly every tenth.
 */
@ApplicationScoped
public class PromotionTrial {

  /** Where the candidate is in its trial. */
  public enum Stage {
    SHADOW,
    CANARY
  }

  private final InferenceConfig.Promotion config;
  private final AtomicReference<Trial> current = new AtomicReference<>();
  private volatile Runnable onDecisionDue = () -> {};

  PromotionTrial(InferenceConfig config, MeterRegistry registry) {
    this.config = config.promotion();
    check(this.config);
    registry.gauge(
        "nin_inference_trial_checkpoint",
        current,
        c ->
            Optional.ofNullable(c.get()).map(t -> (double) t.version().checkpointId()).orElse(-1d));
    registry.gauge(
        "nin_inference_shadow_agreement",
        current,
        c -> Optional.ofNullable(c.get()).map(Trial::agreement).orElse(Double.NaN));
  }

  private static void check(InferenceConfig.Promotion config) {
    for (int percent : new int[] {config.shadowPercent(), config.canaryPercent()}) {
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException(
            "nin.inference.promotion: percentages are 0 to 100, not " + percent);
      }
    }
    if (config.shadowRequests() < 1 || config.canaryRequests() < 1) {
      throw new IllegalArgumentException(
          "nin.inference.promotion: shadow-requests and canary-requests are at least 1");
    }
    if (config.maxRegression().isPresent() && config.maxRegression().getAsDouble() < 0) {
      throw new IllegalArgumentException("nin.inference.promotion.max-regression is not negative");
    }
  }

  /** Whether a candidate is tried before it serves (else it is swapped in at once). */
  public boolean enabled() {
    return firstStage().isPresent();
  }

  /** The stage a new candidate starts in: shadow if configured, else canary. */
  Optional<Stage> firstStage() {
    if (config.shadowPercent() > 0) {
      return Optional.of(Stage.SHADOW);
    }
    return config.canaryPercent() > 0 ? Optional.of(Stage.CANARY) : Optional.empty();
  }

  /** Called (on a request thread) when a trial has seen enough to be decided. */
  void onDecisionDue(Runnable callback) {
    this.onDecisionDue = callback;
  }

  Optional<Trial> current() {
    return Optional.ofNullable(current.get());
  }

  /** Puts {@code model} on trial; the trial owns the model's slot lease from now on. */
  Trial start(ServableModel model, Stage stage) {
    Trial trial = new Trial(model, stage);
    Trial previous = current.getAndSet(trial);
    if (previous != null) {
      previous.model.retire();
    }
    return trial;
  }

  /** Ends the trial and hands its model over (to the serving slot, which then owns its lease). */
  ServableModel takeForPromotion(Trial trial) {
    // null when the trial already ended (shutting down): its model was retired, it must not serve
    return current.compareAndSet(trial, null) ? trial.model : null;
  }

  /** Ends the trial; its model closes once its in-flight calls finish. */
  void end(Trial trial) {
    if (current.compareAndSet(trial, null)) {
      trial.model.retire();
    }
  }

  /**
   * A lease on the candidate for this request if it is in {@code stage} and this request is one of
   * its share; empty otherwise (the serving model alone answers).
   */
  public Optional<Sampled> sample(Stage stage) {
    Trial trial = current.get();
    if (trial == null || trial.stage != stage) {
      return Optional.empty();
    }
    if (!trial.offered.next()) {
      return Optional.empty();
    }
    if (!trial.model.tryAcquire()) {
      return Optional.empty(); // the trial just ended
    }
    return Optional.of(new Sampled(trial, stage, new Lease(trial.model)));
  }

  @PreDestroy
  void close() {
    Trial last = current.getAndSet(null);
    if (last != null) {
      last.model.retire();
    }
  }

  /** What {@code GET /api/model} shows of the trial in progress. */
  public record Status(
      ModelVersion candidate,
      Stage stage,
      long requests,
      long errors,
      Double agreement,
      Double p99Millis) {}

  public Optional<Status> status() {
    return current().map(Trial::status);
  }

  /** A request sampled for the trial, with a lease on the candidate; close the lease after use. */
  public record Sampled(Trial trial, Stage stage, Lease lease) {

    /** The candidate answered this request (a canary) in {@code nanos}, or failed. */
    public void answered(long nanos, boolean failed) {
      trial.record(stage, nanos, failed, 0, 0);
    }

    /**
     * The shadow scored {@code images} images in {@code nanos}; {@code agreed} had the same top-1.
     */
    public void shadowed(long nanos, boolean failed, int images, int agreed) {
      trial.record(stage, nanos, failed, images, agreed);
    }
  }

  /** One candidate's trial and what it measured so far. */
  public final class Trial {
    private final ServableModel model;
    private volatile Stage stage;
    private volatile CountedSample offered;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong agreed = new AtomicLong();
    private final LatencySample latencies = new LatencySample(10_000);

    /** The updater is told once a stage: later requests of the same stage need no new decision. */
    private final java.util.concurrent.atomic.AtomicBoolean told =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Trial(ServableModel model, Stage stage) {
      this.model = model;
      this.stage = stage;
      this.offered = sampleOf(stage);
    }

    private CountedSample sampleOf(Stage stage) {
      int percent = stage == Stage.SHADOW ? config.shadowPercent() : config.canaryPercent();
      return new CountedSample(percent / 100.0);
    }

    public ModelVersion version() {
      return model.version();
    }

    public Stage stage() {
      return stage;
    }

    /** Moves a shadowed candidate on to its canary; the canary's figures start from zero. */
    void toCanary() {
      offered = sampleOf(Stage.CANARY);
      requests.set(0);
      errors.set(0);
      latencies.clear();
      told.set(false);
      stage = Stage.CANARY;
    }

    /** Whether the updater has something to decide: enough requests, or a canary's error. */
    boolean decisionDue() {
      return switch (stage) {
        case SHADOW -> requests.get() >= config.shadowRequests();
        case CANARY -> errors.get() > 0 || requests.get() >= config.canaryRequests();
      };
    }

    /** Whether the candidate failed a call in this stage (a canary's answer, a shadow's copy). */
    boolean failed() {
      return errors.get() > 0;
    }

    Double agreement() {
      long seen = images.get();
      return seen == 0 ? null : agreed.get() / (double) seen;
    }

    TrialFigures figures() {
      return new TrialFigures(requests.get(), errors.get(), agreement(), latencies.p99Millis());
    }

    Status status() {
      TrialFigures f = figures();
      return new Status(version(), stage, f.requests(), f.errors(), f.agreement(), f.p99Millis());
    }

    private void record(
        Stage sampledIn, long nanos, boolean failed, int shadowImages, int shadowAgreed) {
      if (sampledIn != stage) {
        return; // a shadow copy that finished after the canary began: not the canary's figure
      }
      latencies.add(nanos);
      if (failed) {
        errors.incrementAndGet();
      } else {
        images.addAndGet(shadowImages);
        agreed.addAndGet(shadowAgreed);
      }
      requests.incrementAndGet();
      if (decisionDue() && current.get() == this && told.compareAndSet(false, true)) {
        onDecisionDue.run();
      }
    }
  }

  /** The latest latencies (a bounded ring), enough for a p99 over a trial. */
  static final class LatencySample {
    private final long[] nanos;
    private int size;
    private int next;

    LatencySample(int capacity) {
      this.nanos = new long[capacity];
    }

    synchronized void add(long value) {
      nanos[next] = value;
      next = (next + 1) % nanos.length;
      size = Math.min(size + 1, nanos.length);
    }

    synchronized void clear() {
      size = 0;
      next = 0;
    }

    synchronized Double p99Millis() {
      if (size == 0) {
        return null;
      }
      long[] sorted = Arrays.copyOf(nanos, size);
      Arrays.sort(sorted);
      int index = (int) Math.ceil(0.99 * size) - 1;
      return sorted[Math.max(0, index)] / 1e6;
    }
  }
}
