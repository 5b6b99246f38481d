package dev.nin.trainer.training;

import dev.nin.trainer.checkpoints.CheckpointKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The runs this trainer is training, as Prometheus sees them (PostgreSQL holds the history; these
 * are for alerting and dashboards): step, epoch, loss, top-1, images/s, ETA and the consumer lag of
 * each active run, labelled by run id, and removed when the run ends here, so the label set is the
 * runs in progress, not every run ever. Also the runs waiting in the queue and how long checkpoint
 * writes take.
 */
@ApplicationScoped
public class LiveRunMetrics {

  private final MeterRegistry registry;
  private final AtomicLong queued = new AtomicLong();

  LiveRunMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("nin_trainer_runs_queued", queued, AtomicLong::get)
        .description("runs waiting for a trainer (seen by this one)")
        .register(registry);
  }

  /** Counts a database write repeated while PostgreSQL was unreachable (DatabaseRetry). */
  void databaseRetried() {
    registry.counter("nin_trainer_database_retries_total").increment();
  }

  void queued(long runs) {
    queued.set(runs);
  }

  /** Time to write a checkpoint and its metrics to PostgreSQL, by kind (epoch, resume). */
  Timer checkpointWrites(CheckpointKind kind) {
    return Timer.builder("nin_trainer_checkpoint_write")
        .description("time to write a checkpoint (and, for an epoch, its metrics)")
        .tag("kind", kind.id())
        .register(registry);
  }

  /** Gauges for one run, until {@link ActiveRun#close()}. */
  ActiveRun open(UUID run, long totalSteps, int batchSize) {
    return new ActiveRun(run, totalSteps, batchSize);
  }

  /** The live figures of one run; written by its training thread, read at each scrape. */
  final class ActiveRun implements AutoCloseable {
    private final long totalSteps;
    private final int batchSize;
    private final List<Meter> meters = new ArrayList<>();
    private volatile long step;
    private volatile int epoch;
    private volatile double loss = Double.NaN;
    private volatile double trainTop1 = Double.NaN;
    private volatile double testTop1 = Double.NaN;
    private volatile double imagesPerSecond;
    private volatile long trainedOffset = -1;
    private volatile java.util.function.LongSupplier publishedRecords = () -> 0;

    private ActiveRun(UUID run, long totalSteps, int batchSize) {
      this.totalSteps = totalSteps;
      this.batchSize = batchSize;
      Tags tags = Tags.of("run", run.toString());
      gauge("nin_trainer_run_step", "optimizer steps taken", tags, r -> r.step);
      gauge("nin_trainer_run_epoch", "the epoch being trained (0-based)", tags, r -> r.epoch);
      gauge("nin_trainer_run_loss", "training loss of the last step", tags, r -> r.loss);
      gauge(
          "nin_trainer_run_train_top1", "training top-1 so far this epoch", tags, r -> r.trainTop1);
      gauge(
          "nin_trainer_run_test_top1", "test top-1 at the last epoch's end", tags, r -> r.testTop1);
      gauge(
          "nin_trainer_run_images_per_second",
          "training throughput this epoch (waits for data included)",
          tags,
          r -> r.imagesPerSecond);
      gauge(
          "nin_trainer_run_eta_seconds",
          "time to the last step at this epoch's throughput (evaluations not included)",
          tags,
          ActiveRun::etaSeconds);
      gauge(
          "nin_trainer_run_consumer_lag",
          "records of the run's train topic published but not yet trained on",
          tags,
          r -> Math.max(0, r.publishedRecords.getAsLong() - (r.trainedOffset + 1)));
    }

    private void gauge(
        String name, String description, Tags tags, ToDoubleFunction<ActiveRun> value) {
      meters.add(
          Gauge.builder(name, this, value).description(description).tags(tags).register(registry));
    }

    /** Where the train topic ends, as the run's consumer last saw it. */
    void publishedRecords(java.util.function.LongSupplier endOffset) {
      this.publishedRecords = endOffset;
    }

    void stepped(long step, int epoch, double loss, double trainTop1, double imagesPerSecond) {
      this.step = step;
      this.epoch = epoch;
      this.loss = loss;
      this.trainTop1 = trainTop1;
      this.imagesPerSecond = imagesPerSecond;
    }

    void trainedOn(long offset) {
      this.trainedOffset = offset;
    }

    void evaluated(double testTop1) {
      this.testTop1 = testTop1;
    }

    private double etaSeconds() {
      if (imagesPerSecond <= 0) {
        return Double.NaN;
      }
      return Math.max(0, totalSteps - step) * (double) batchSize / imagesPerSecond;
    }

    @Override
    public void close() {
      meters.forEach(registry::remove);
    }
  }
}
