package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ModelEvent.Kind;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Decides which checkpoint serves and swaps it in. All decisions run on one thread, so two loads
 * never race: the pin wins; otherwise the policy's first candidate that is not known to be bad and
 * passes the gate, swapped in at once or, when configured, after a trial (shadow, canary). Runs on
 * start, on every poll, after each {@code nin.checkpoints} event, and for pin calls.
 */
@ApplicationScoped
public class ModelUpdater {

  private static final Logger LOG = Logger.getLogger(ModelUpdater.class);

  /** gRPC health service name of the Inference service. */
  public static final String GRPC_SERVICE = "nin.v1.Inference";

  /** How many candidates a refresh looks at before giving up for this round. */
  private static final int CANDIDATES = 10;

  private final InferenceConfig config;
  private final CheckpointCatalog catalog;
  private final ModelLoader loader;
  private final ActiveModel active;
  private final ModelHistory history;
  private final GrpcHealthStorage grpcHealth;
  private final MeterRegistry registry;
  private final Timer loadTimer;
  private final Counter decisions;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "model-updater"));

  /** Checkpoints that failed a check: their bytes will not change, so never try them again. */
  private final Set<Long> rejected = ConcurrentHashMap.newKeySet();

  /** Gate refusals already recorded ("candidate<serving"): one event each, not one a poll. */
  private final Set<String> gatedRecorded = ConcurrentHashMap.newKeySet();

  private final Map<Long, List<String>> deadClassesByCheckpoint = new ConcurrentHashMap<>();

  private final PromotionTrial trial;

  /** When the last poll of the catalogue ended, however it ended (for the liveness check). */
  private volatile long lastPollEndedNanos = System.nanoTime();

  private final io.opentelemetry.api.trace.Tracer tracer;

  ModelUpdater(
      InferenceConfig config,
      CheckpointCatalog catalog,
      ModelLoader loader,
      ActiveModel active,
      ModelHistory history,
      GrpcHealthStorage grpcHealth,
      MeterRegistry registry,
      PromotionTrial trial,
      io.opentelemetry.api.trace.Tracer tracer) {
    this.tracer = tracer;
    this.config = config;
    this.trial = trial;
    // a trial that has seen enough is decided at once, not at the next poll
    trial.onDecisionDue(this::refreshSoon);
    this.catalog = catalog;
    this.loader = loader;
    this.active = active;
    this.history = history;
    this.grpcHealth = grpcHealth;
    this.registry = registry;
    this.loadTimer = registry.timer("nin_inference_model_load");
    // one count per completed decision (start, poll, event, unpin): lets an operator, and a test,
    // tell that the updater has looked at the catalogue since some moment, whatever it decided
    this.decisions = registry.counter("nin_inference_model_decisions_total");
    registry.gauge(
        "nin_inference_model_checkpoint",
        active,
        a -> a.version().map(v -> (double) v.checkpointId()).orElse(Double.NaN));
  }

  void start(@Observes StartupEvent event) {
    setGrpcStatus(ServingStatus.NOT_SERVING);
    thread.scheduleWithFixedDelay(
        this::refreshQuietly, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    thread.shutdownNow();
    // a decision in progress (a load, a promotion) ends before the models are closed
    thread.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** Re-decides soon, on the updater thread (a checkpoint event arrived). */
  public void refreshSoon() {
    // the decision joins the trace of what asked for it (a checkpoint event: the run's trace)
    thread.execute(io.opentelemetry.context.Context.current().wrap(this::refreshQuietly));
  }

  /** Loads {@code checkpointId} if needed and pins every replica to it; waits for the outcome. */
  public ModelVersion pin(long checkpointId) throws CheckpointRejectedException, SQLException {
    return onUpdaterThread(
        () -> {
          ModelVersion version =
              catalog
                  .find(checkpointId)
                  .orElseThrow(() -> new UnknownCheckpointException(checkpointId));
          abandonTrial("checkpoint " + checkpointId + " is pinned");
          if (!isActive(checkpointId)) {
            swapIn(version);
          }
          catalog.pin(checkpointId);
          history.add(ModelEvent.of(Kind.PINNED, version, null, "pinned by API"));
          LOG.infof("pinned checkpoint %d", checkpointId);
          return version;
        });
  }

  /** Removes the pin; the policy decides again at once. */
  public void unpin() throws CheckpointRejectedException, SQLException {
    onUpdaterThread(
        () -> {
          Optional<Long> pinned = catalog.pinned();
          catalog.unpin();
          pinned.ifPresent(
              id ->
                  history.add(
                      new ModelEvent(
                          java.time.Instant.now(),
                          Kind.UNPINNED,
                          id,
                          null,
                          null,
                          null,
                          null,
                          null)));
          refresh();
          return null;
        });
  }

  public Optional<Long> pinned() throws SQLException {
    return catalog.pinned();
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (SQLException | RuntimeException e) {
      // The database may be restarting: keep serving what is loaded, try again next poll.
      LOG.warnf("cannot refresh the model (keeps serving what it has): %s", e.getMessage());
    } catch (LinkageError e) {
      // A defect, not bad input, but one that must not end the polling: an Error escaping a
      // scheduleWithFixedDelay task cancels every later run, silently.
      LOG.error("refreshing the model failed (keeps serving what it has)", e);
    } finally {
      lastPollEndedNanos = System.nanoTime();
    }
  }

  /** How long ago the last poll of the catalogue ended; grows without bound if the loop hangs. */
  public Duration sinceLastPoll() {
    return Duration.ofNanos(System.nanoTime() - lastPollEndedNanos);
  }

  private void refresh() throws SQLException {
    try {
      decide();
    } finally {
      org.jboss.logging.MDC.remove("checkpointId");
      decisions.increment();
    }
  }

  private void decide() throws SQLException {
    Optional<Long> pin = catalog.pinned();
    if (pin.isPresent()) {
      long id = pin.get();
      abandonTrial("checkpoint " + id + " is pinned");
      if (isActive(id)) {
        return;
      }
      Optional<ModelVersion> pinned = catalog.find(id);
      if (pinned.isPresent() && !rejected.contains(id) && trySwapIn(pinned.get())) {
        return;
      }
      LOG.warnf("pinned checkpoint %d cannot serve here; following the policy instead", id);
    }
    for (ModelVersion candidate : catalog.candidates(config.policy(), CANDIDATES)) {
      if (isActive(candidate.checkpointId())) {
        abandonTrial("checkpoint " + candidate.checkpointId() + " serves and is preferred");
        return;
      }
      if (rejected.contains(candidate.checkpointId()) || gated(candidate)) {
        continue;
      }
      if (trial.enabled() && active.version().isPresent()) {
        if (advanceTrial(candidate)) {
          return;
        }
      } else if (trySwapIn(candidate)) {
        return;
      }
    }
  }

  /**
   * The gate: whether {@code candidate} has a dead class (when refused) or its recorded test top-1
   * falls below the serving model's by more than {@code max-regression}. Recorded once for each
   * candidate and serving model.
   */
  private boolean gated(ModelVersion candidate) throws SQLException {
    // the regression check needs no query: first, so a database hiccup blocks less
    return gatedForRegression(candidate) || gatedForDeadClasses(candidate);
  }

  /**
   * Relative, as the regression gate is: a candidate is kept out for a class its evaluation never
   * predicted only if the serving model does predict it (a pin, a first load or a change of
   * configuration may have left a model with a dead class serving; a candidate no worse must still
   * be able to replace it).
   */
  private boolean gatedForDeadClasses(ModelVersion candidate) throws SQLException {
    Optional<ModelVersion> serving = active.version();
    if (!config.promotion().refuseDeadClasses() || serving.isEmpty()) {
      return false; // with nothing serving, a model that answers nine classes beats none
    }
    List<String> lost = new ArrayList<>(deadClasses(candidate.checkpointId()));
    lost.removeAll(deadClasses(serving.get().checkpointId()));
    if (lost.isEmpty()) {
      return false;
    }
    recordGated(
        candidate,
        serving.get(),
        "its evaluation never predicted "
            + String.join(", ", lost)
            + ", which the serving checkpoint "
            + serving.get().checkpointId()
            + " predicts (a dead class)");
    return true;
  }

  /** A checkpoint's dead classes: fixed once its epoch is committed, so read once. */
  private List<String> deadClasses(long checkpointId) throws SQLException {
    List<String> known = deadClassesByCheckpoint.get(checkpointId);
    if (known == null) {
      known = List.copyOf(catalog.neverPredictedClasses(checkpointId));
      deadClassesByCheckpoint.put(checkpointId, known);
    }
    return known;
  }

  private boolean gatedForRegression(ModelVersion candidate) {
    var maxRegression = config.promotion().maxRegression();
    Optional<ModelVersion> serving = active.version();
    if (maxRegression.isEmpty()
        || serving.isEmpty()
        || serving.get().testTop1() == null
        || candidate.testTop1() == null) {
      return false;
    }
    double floor = serving.get().testTop1() - maxRegression.getAsDouble();
    if (candidate.testTop1() >= floor) {
      return false;
    }
    recordGated(
        candidate,
        serving.get(),
        String.format(
            "test top-1 %.4f is below the serving checkpoint %d's %.4f by more than %.4f",
            candidate.testTop1(),
            serving.get().checkpointId(),
            serving.get().testTop1(),
            maxRegression.getAsDouble()));
    return true;
  }

  private void recordGated(ModelVersion candidate, ModelVersion serving, String reason) {
    if (gatedRecorded.add(candidate.checkpointId() + "<" + serving.checkpointId())) {
      history.add(ModelEvent.of(Kind.GATED, candidate, null, reason));
      registry.counter("nin_inference_model_gated").increment();
      LOG.warnf("gate: checkpoint %d not promoted: %s", candidate.checkpointId(), reason);
    }
  }

  /**
   * Starts, advances or ends the trial of {@code candidate} (shadow, then canary, then promotion).
   * False when the candidate cannot be tried (rejected on load), so the next one may be.
   */
  private boolean advanceTrial(ModelVersion candidate) throws SQLException {
    Optional<PromotionTrial.Trial> running = trial.current();
    if (running.isPresent() && running.get().version().checkpointId() != candidate.checkpointId()) {
      abandonTrial("checkpoint " + candidate.checkpointId() + " is preferred now");
      running = Optional.empty();
    }
    if (running.isEmpty()) {
      try {
        long start = System.nanoTime();
        ServableModel model = load(candidate);
        long millis = (System.nanoTime() - start) / 1_000_000;
        PromotionTrial.Stage stage = trial.firstStage().orElseThrow();
        trial.start(model, stage);
        Kind kind =
            stage == PromotionTrial.Stage.SHADOW ? Kind.SHADOW_STARTED : Kind.CANARY_STARTED;
        history.add(ModelEvent.of(kind, candidate, millis, trialDescription(stage)));
        LOG.infof("checkpoint %d on trial: %s", candidate.checkpointId(), kind);
        return true;
      } catch (CheckpointRejectedException e) {
        return false;
      }
    }
    PromotionTrial.Trial current = running.get();
    if (!current.decisionDue()) {
      return true;
    }
    var figures = current.figures();
    if (current.stage() == PromotionTrial.Stage.SHADOW) {
      history.add(
          ModelEvent.of(Kind.SHADOW_ENDED, candidate, null, "shadow saw its requests", figures));
      if (current.failed()) {
        // a candidate that fails a copy would fail a live request: it does not go on
        failTrial(current, "the shadow failed " + figures.errors() + " copy(ies)", figures);
        return true;
      }
      double minimum = config.promotion().shadowMinAgreement();
      if (figures.agreement() == null || figures.agreement() < minimum) {
        failTrial(current, "agreement " + figures.agreement() + " is below " + minimum, figures);
        return true;
      }
      if (config.promotion().canaryPercent() > 0) {
        current.toCanary();
        history.add(
            ModelEvent.of(Kind.CANARY_STARTED, candidate, null, trialDescription(current.stage())));
        return true;
      }
    } else if (current.failed()) {
      failTrial(current, "the canary answered " + figures.errors() + " error(s)", figures);
      return true;
    }
    ServableModel model = trial.takeForPromotion(current);
    if (model == null) {
      return true; // the trial ended meanwhile (shutting down)
    }
    activate(model, null);
    history.add(ModelEvent.of(Kind.PROMOTED, candidate, null, "after its trial", figures));
    registry.counter("nin_inference_model_promotions").increment();
    return true;
  }

  private String trialDescription(PromotionTrial.Stage stage) {
    var promotion = config.promotion();
    return stage == PromotionTrial.Stage.SHADOW
        ? promotion.shadowPercent() + "% of requests copied, for " + promotion.shadowRequests()
        : promotion.canaryPercent() + "% of requests answered, for " + promotion.canaryRequests();
  }

  private void failTrial(PromotionTrial.Trial failed, String reason, ModelEvent.TrialFigures f) {
    trial.end(failed);
    rejected.add(failed.version().checkpointId());
    registry.counter("nin_inference_model_rejections", "stage", "trial").increment();
    history.add(ModelEvent.of(Kind.TRIAL_FAILED, failed.version(), null, reason, f));
    LOG.errorf("checkpoint %d failed its trial: %s", failed.version().checkpointId(), reason);
  }

  private void abandonTrial(String reason) {
    trial
        .current()
        .ifPresent(
            running -> {
              trial.end(running);
              history.add(
                  ModelEvent.of(
                      Kind.TRIAL_ABANDONED, running.version(), null, reason, running.figures()));
            });
  }

  private boolean trySwapIn(ModelVersion version) throws SQLException {
    try {
      swapIn(version);
      return true;
    } catch (CheckpointRejectedException e) {
      return false;
    }
  }

  private void swapIn(ModelVersion version) throws CheckpointRejectedException, SQLException {
    long start = System.nanoTime();
    ServableModel model = load(version);
    activate(model, (System.nanoTime() - start) / 1_000_000);
  }

  /** Loads a candidate, or rejects it for good (recorded, counted, logged). */
  private ServableModel load(ModelVersion version)
      throws CheckpointRejectedException, SQLException {
    // the lines about this load carry the checkpoint (a field of JSON logs); cleared after deciding
    org.jboss.logging.MDC.put("checkpointId", String.valueOf(version.checkpointId()));
    if (rejected.contains(version.checkpointId())) {
      throw new CheckpointRejectedException(
          CheckpointRejectedException.Stage.LOAD,
          "checkpoint " + version.checkpointId() + " was rejected before");
    }
    byte[] zip =
        catalog
            .modelZip(version.checkpointId())
            .orElseThrow(() -> new UnknownCheckpointException(version.checkpointId()));
    long start = System.nanoTime();
    var span =
        tracer
            .spanBuilder("load checkpoint")
            .setAttribute("nin.checkpoint.id", version.checkpointId())
            .setAttribute("nin.run.id", String.valueOf(version.runId()))
            .startSpan();
    try (var scope = span.makeCurrent()) {
      ServableModel model = loader.load(version, zip);
      loadTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return model;
    } catch (CheckpointRejectedException e) {
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getMessage());
      rejected.add(version.checkpointId());
      registry
          .counter("nin_inference_model_rejections", "stage", e.stage().name().toLowerCase())
          .increment();
      history.add(ModelEvent.of(Kind.REJECTED, version, null, e.getMessage()));
      LOG.errorf(
          "rejected checkpoint %d (run %s, epoch %d): %s; still serving %s",
          version.checkpointId(),
          version.runId(),
          version.epoch(),
          e.getMessage(),
          active.version().map(v -> "checkpoint " + v.checkpointId()).orElse("nothing"));
      throw e;
    } finally {
      span.end();
    }
  }

  /** Makes {@code model} the serving one; {@code loadMillis} is set when it was loaded just now. */
  private void activate(ServableModel model, Long loadMillis) {
    ModelVersion version = model.version();
    tracer
        .spanBuilder("serve checkpoint")
        .setAttribute("nin.checkpoint.id", version.checkpointId())
        .startSpan()
        .end();
    org.jboss.logging.MDC.put("checkpointId", String.valueOf(version.checkpointId()));
    active.swap(model);
    registry.counter("nin_inference_model_loads").increment();
    if (loadMillis != null) {
      history.add(ModelEvent.of(Kind.LOADED, version, loadMillis, null));
    }
    setGrpcStatus(ServingStatus.SERVING);
    LOG.infof(
        "serving checkpoint %d (run %s, epoch %d, test top-1 %s)%s",
        version.checkpointId(),
        version.runId(),
        version.epoch(),
        version.testTop1(),
        loadMillis == null ? "" : ", loaded in " + loadMillis + " ms");
  }

  private boolean isActive(long checkpointId) {
    return active.version().map(v -> v.checkpointId() == checkpointId).orElse(false);
  }

  private void setGrpcStatus(ServingStatus status) {
    grpcHealth.setStatus(GrpcHealthStorage.DEFAULT_SERVICE_NAME, status);
    grpcHealth.setStatus(GRPC_SERVICE, status);
  }

  private interface UpdaterTask<T> {
    T run() throws CheckpointRejectedException, SQLException;
  }

  private <T> T onUpdaterThread(UpdaterTask<T> task)
      throws CheckpointRejectedException, SQLException {
    try {
      return thread
          .submit(
              () -> {
                try {
                  return task.run();
                } catch (CheckpointRejectedException | SQLException e) {
                  throw new TaskFailure(e);
                } finally {
                  org.jboss.logging.MDC.remove("checkpointId");
                }
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the model updater", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TaskFailure failure) {
        if (failure.getCause() instanceof CheckpointRejectedException rejection) {
          throw rejection;
        }
        throw (SQLException) failure.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Carries a checked exception out of the updater thread. */
  private static final class TaskFailure extends RuntimeException {
    TaskFailure(Exception cause) {
      super(cause);
    }
  }
}
