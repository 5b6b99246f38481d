package dev.nin.trainer.training;

import dev.nin.contracts.Topics;
import dev.nin.servicekit.kafka.DeadLetterChannel;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.servicekit.tracing.TraceContext;
import dev.nin.trainer.checkpoints.CheckpointEvents;
import dev.nin.trainer.checkpoints.CheckpointRepository;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.lineage.Reproductions;
import dev.nin.trainer.metrics.MetricRepository;
import dev.nin.trainer.persistence.DatabaseRetry;
import dev.nin.trainer.runs.Run;
import dev.nin.trainer.runs.RunRepository;
import dev.nin.trainer.runs.RunStatus;
import dev.nin.trainer.sweeps.SweepRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One worker per trainer instance: claims the oldest queued run (or one whose trainer died), asks
 * ingest for its data, trains it to the end, and looks for the next. More instances train more runs
 * in parallel; the database's row locks keep any run from being trained twice at once.
 */
@ApplicationScoped
public class RunScheduler {

  private static final Logger LOG = Logger.getLogger(RunScheduler.class);

  private final Collaborators collaborators;
  private final TrainerConfig config;
  private final RunRepository runs;
  private final LiveRunMetrics live;
  private final io.opentelemetry.api.trace.Tracer tracer;
  private final String instance;
  private volatile boolean running = true;
  private Thread worker;
  private ScheduledExecutorService heartbeats;

  RunScheduler(
      TrainerConfig config,
      PipelineKafka kafka,
      RunRepository runs,
      MetricRepository metrics,
      SweepRepository sweeps,
      CheckpointRepository checkpoints,
      CheckpointEvents events,
      DataRequests dataRequests,
      Reproductions reproductions,
      LiveRunMetrics live,
      io.opentelemetry.api.trace.Tracer tracer,
      MeterRegistry registry,
      DeadLetterChannel deadLetterChannel) {
    this.tracer = tracer;
    this.live = live;
    var deadLetters =
        new DeadLetterPublisher(
            kafka,
            deadLetterChannel,
            "trainer-service",
            topic -> registry.counter("nin_dead_letters_total", "topic", topic).increment());
    this.collaborators =
        new Collaborators(
            config,
            kafka,
            runs,
            metrics,
            sweeps,
            checkpoints,
            events,
            deadLetters,
            dataRequests,
            reproductions,
            live,
            new DatabaseRetry(
                config.databasePatience(), Duration.ofMillis(200), live::databaseRetried),
            tracer);
    this.config = config;
    this.runs = runs;
    this.instance = config.instanceId().orElse(ManagementFactory.getRuntimeMXBean().getName());
  }

  void start(@Observes StartupEvent event) {
    if (!config.workerEnabled()) {
      LOG.info("training worker disabled (nin.trainer.worker-enabled=false)");
      return;
    }
    try {
      // ingest waits on this topic, and inference takes its place at the end of the next one:
      // create them now rather than at the first run (whose first event inference would miss)
      collaborators.kafka().ensureTopic(Topics.TRAINING_REQUESTS);
      collaborators.kafka().ensureTopic(Topics.CHECKPOINTS, Topics.CHECKPOINTS_PARTITIONS);
    } catch (IllegalStateException e) {
      LOG.warnf("%s (created at the first run instead)", e.getMessage());
    }
    var heartbeatThreads = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    // started now, with an empty MDC: a thread created during a run would inherit its runId
    // (Quarkus' MDC is inheritable) and print it on every later run's heartbeat lines
    heartbeatThreads.prestartAllCoreThreads();
    heartbeats = heartbeatThreads;
    worker = new Thread(this::loop, "training-worker");
    worker.start();
    LOG.infof("training worker %s started", instance);
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(30_000);
      heartbeats.shutdownNow();
    }
  }

  private void loop() {
    while (running) {
      try {
        countQueued();
        var claimed = runs.claimNext(instance, config.staleAfter());
        if (claimed.isPresent()) {
          train(claimed.get());
        } else {
          Thread.sleep(config.pollInterval().toMillis());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.errorf(e, "training worker: %s", e.getMessage());
        sleepQuietly();
      }
    }
  }

  private void train(Run run) {
    // every line this thread logs while it trains the run carries its id (a field of JSON logs)
    org.jboss.logging.MDC.put("runId", run.id().toString());
    LOG.infof("run %s claimed by %s (attempt %d)", run.id(), instance, run.attempts());
    var stop = new AtomicBoolean();
    var beat =
        heartbeats.scheduleAtFixedRate(
            () -> {
              try {
                if (runs.heartbeat(run.id(), instance)) {
                  stop.set(true);
                }
                countQueued(); // while this worker trains, its heartbeat keeps the gauge fresh
              } catch (RuntimeException e) {
                LOG.warnf("heartbeat of run %s failed: %s", run.id(), e.getMessage());
              }
            },
            0,
            config.heartbeatInterval().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      var execution = new RunExecution(run, collaborators, stop::get);
      RunStatus outcome = tracedExecution(run, execution);
      // the run is done: its end must reach the database even across an outage
      collaborators
          .retry()
          .run("recording the run's end", () -> runs.finish(run.id(), outcome, null));
      LOG.infof("run %s %s", run.id(), outcome);
      releaseData(run);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      handBack(run, beat);
    } catch (Exception e) {
      if (!running) {
        // shutting down: the interrupt surfaced as another exception (Kafka's InterruptException,
        // a closed connection); the run did not fail, it stopped
        handBack(run, beat);
        return;
      }
      LOG.errorf(e, "run %s failed", run.id());
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      try {
        // the failure must reach the database across an outage too, or the run is re-claimed
        collaborators
            .retry()
            .run(
                "recording the run's failure",
                () -> runs.finish(run.id(), RunStatus.FAILED, error));
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        running = false;
        handBack(run, beat);
        return;
      }
      releaseData(run);
    } finally {
      beat.cancel(false);
      org.jboss.logging.MDC.remove("runId");
    }
  }

  /**
   * Runs the execution inside a span of the trace of the request that queued the run (its
   * traceparent is stored with the run), so the epochs, checkpoints and what ingest and inference
   * do for the run are one trace with the POST that started it.
   */
  private RunStatus tracedExecution(Run run, RunExecution execution) throws Exception {
    var parent = TraceContext.fromTraceparent(runs.traceParent(run.id()).orElse(null));
    var span =
        tracer
            .spanBuilder("train run")
            .setParent(parent)
            .setAttribute("nin.run.id", run.id().toString())
            .setAttribute("nin.run.attempt", run.attempts())
            .startSpan();
    try (var scope = span.makeCurrent()) {
      // the test split and the first epochs; the execution asks for more as it goes
      collaborators.dataRequests().upToEpoch(run, 0);
      RunStatus outcome = execution.execute();
      span.setAttribute("nin.run.outcome", outcome.name());
      return outcome;
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  /** The run stays RUNNING and is resumed from its newest checkpoint by the next trainer. */
  private void handBack(Run run, ScheduledFuture<?> beat) {
    beat.cancel(false);
    try {
      runs.release(run.id(), instance);
      LOG.infof("run %s handed back for resumption (this trainer is stopping)", run.id());
    } catch (RuntimeException e) {
      LOG.warnf(
          "run %s not handed back (%s): it resumes once its heartbeat is stale",
          run.id(), e.getMessage());
    }
  }

  /** Tells ingest the run is over, so that its topics go; a failure only leaves them longer. */
  private void releaseData(Run run) {
    try {
      collaborators.dataRequests().ended(run);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warnf("run %s: could not tell ingest it ended (%s)", run.id(), e.getMessage());
    }
  }

  private void countQueued() {
    try {
      live.queued(runs.countQueued());
    } catch (RuntimeException e) {
      // the gauge keeps its last value; claiming reports database trouble on its own
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
