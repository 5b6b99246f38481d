package dev.nin.trainer.runs;

import dev.nin.core.training.Optimizer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Recipe;
import dev.nin.core.training.Schedule;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code training_run}. It is inserted through the persistence context and otherwise
 * changed only by targeted updates in {@link RunRepository}: the API's cancel, the owning trainer's
 * heartbeat and other trainers' claims write the same row concurrently, and a load-set-flush would
 * write a stale column back over theirs ({@link DynamicUpdate} is the second line of defence).
 */
@Entity
@DynamicUpdate
@Table(name = "training_run")
// Named, so Hibernate parses and checks them when it boots, not inside a run's first timed epoch
// (and a typo fails the start, not the first request); RunRepository calls them as "#name".
@NamedQuery(name = RunEntity.NEWEST, query = "from RunEntity r order by r.createdAt desc")
@NamedQuery(
    name = RunEntity.NEWEST_WITH_STATUS,
    query = "from RunEntity r where r.status = ?1 order by r.createdAt desc")
@NamedQuery(
    name = RunEntity.CANCEL_QUEUED,
    query =
        "update RunEntity r set r.status = ?1, r.finishedAt = current_timestamp,"
            + " r.cancelRequested = true where r.id = ?2 and r.status = ?3")
@NamedQuery(
    name = RunEntity.CANCEL_RUNNING,
    query = "update RunEntity r set r.cancelRequested = true where r.id = ?1 and r.status = ?2")
@NamedQuery(
    name = RunEntity.STARTED,
    query =
        "update RunEntity r set r.params = ?1, r.flopsPerImage = ?2, r.device = ?3,"
            + " r.precision = ?4 where r.id = ?5")
@NamedQuery(
    name = RunEntity.DATA_SHAPE,
    query = "update RunEntity r set r.batchesPerEpoch = ?1, r.imagesPerEpoch = ?2 where r.id = ?3")
@NamedQuery(
    name = RunEntity.PROGRESS,
    query =
        "update RunEntity r set r.currentEpoch = ?1, r.currentStep = ?2, r.imagesPerSecond = ?3,"
            + " r.heartbeatAt = current_timestamp where r.id = ?4")
@NamedQuery(
    name = RunEntity.RELEASE,
    query =
        "update RunEntity r set r.claimedBy = null, r.heartbeatAt = ?1"
            + " where r.id = ?2 and r.claimedBy = ?3 and r.status = ?4")
@NamedQuery(
    name = RunEntity.FINISH,
    query =
        "update RunEntity r set r.status = ?1, r.error = ?2, r.finishedAt = current_timestamp"
            + " where r.id = ?3")
@NamedQuery(
    name = RunEntity.TRACE_PARENT,
    query = "select r.traceParent from RunEntity r where r.id = ?1")
@NamedQuery(
    name = RunEntity.COUNT_QUEUED,
    query = "select count(r) from RunEntity r where r.status = ?1 and r.cancelRequested = false")
@NamedQuery(
    name = RunEntity.CANCEL_QUEUED_TRIALS,
    query =
        "update RunEntity r set r.status = ?1, r.finishedAt = current_timestamp,"
            + " r.cancelRequested = true where r.sweepId = ?2 and r.status = ?3")
@NamedQuery(
    name = RunEntity.CANCEL_RUNNING_TRIALS,
    query =
        "update RunEntity r set r.cancelRequested = true where r.sweepId = ?1 and r.status = ?2")
@NamedQuery(
    name = RunEntity.STOP_REASON,
    query = "update RunEntity r set r.stopReason = ?1 where r.id = ?2")
class RunEntity {

  static final String NEWEST = "RunEntity.newest";
  static final String NEWEST_WITH_STATUS = "RunEntity.newestWithStatus";
  static final String CANCEL_QUEUED = "RunEntity.cancelQueued";
  static final String CANCEL_RUNNING = "RunEntity.cancelRunning";
  static final String STARTED = "RunEntity.started";
  static final String DATA_SHAPE = "RunEntity.dataShape";
  static final String PROGRESS = "RunEntity.progress";
  static final String RELEASE = "RunEntity.release";
  static final String FINISH = "RunEntity.finish";
  static final String TRACE_PARENT = "RunEntity.traceParent";
  static final String COUNT_QUEUED = "RunEntity.countQueued";
  static final String CANCEL_QUEUED_TRIALS = "RunEntity.cancelQueuedTrials";
  static final String CANCEL_RUNNING_TRIALS = "RunEntity.cancelRunningTrials";
  static final String STOP_REASON = "RunEntity.stopReason";

  @Id UUID id;

  String name;

  @Enumerated(EnumType.STRING)
  RunStatus status = RunStatus.QUEUED;

  @Column(name = "learning_rate")
  double learningRate;

  @Column(name = "batch_size")
  int batchSize;

  int epochs;
  int resize;

  @Convert(converter = OptimizerColumn.class)
  Optimizer optimizer;

  @Column(name = "one_by_one_convs")
  int oneByOneConvs;

  double dropout;
  long seed;

  @Column(name = "train_limit")
  Integer trainLimit;

  @Column(name = "test_limit")
  Integer testLimit;

  boolean augment;

  @Column(name = "log_every")
  int logEvery;

  @Column(name = "checkpoint_every_steps")
  Integer checkpointEverySteps;

  @Convert(converter = RecipeColumn.class)
  Recipe recipe;

  @Column(name = "warmup_steps")
  int warmupSteps;

  @Convert(converter = ScheduleColumn.class)
  Schedule schedule;

  @Column(name = "label_smoothing")
  double labelSmoothing;

  @Column(name = "average_decay")
  double averageDecay;

  @Column(name = "weight_decay")
  double weightDecay;

  @Column(name = "crop_padding")
  int cropPadding;

  @Convert(converter = PrecisionColumn.class)
  Precision precision;

  @Column(name = "early_stop_patience")
  Integer earlyStopPatience;

  @Column(name = "early_stop_min_delta")
  double earlyStopMinDelta;

  /** The sweep this run is a trial of (null for a run of its own), and its trial number. */
  @Column(name = "sweep_id")
  UUID sweepId;

  @Column(name = "sweep_trial")
  Integer sweepTrial;

  /** The run fields the trial sets over its sweep's base run, as JSON. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "sweep_values")
  String sweepValues;

  /** Why a STOPPED_EARLY run stopped: the rung rule or the plateau, with the figures. */
  @Column(name = "stop_reason")
  String stopReason;

  @Column(name = "current_epoch")
  int currentEpoch;

  @Column(name = "current_step")
  long currentStep;

  @Column(name = "images_per_s")
  Double imagesPerSecond;

  Long params;

  @Column(name = "flops_per_image")
  Long flopsPerImage;

  String device;

  @Column(name = "claimed_by")
  String claimedBy;

  @Column(name = "heartbeat_at")
  OffsetDateTime heartbeatAt;

  int attempts;

  @Column(name = "cancel_requested")
  boolean cancelRequested;

  String error;

  @Column(name = "batches_per_epoch")
  Integer batchesPerEpoch;

  @Column(name = "images_per_epoch")
  Integer imagesPerEpoch;

  /** The database's clock (its default now()), the one every trainer's claim order agrees on. */
  @Generated
  @Column(name = "created_at", insertable = false, updatable = false)
  OffsetDateTime createdAt;

  @Column(name = "started_at")
  OffsetDateTime startedAt;

  @Column(name = "finished_at")
  OffsetDateTime finishedAt;

  UUID reproduces;

  /** The W3C trace context of the request that queued the run (null while tracing is off). */
  @Column(name = "trace_parent")
  String traceParent;

  /** A new QUEUED run with these parameters. */
  static RunEntity queued(RunParameters p, UUID reproduces, String traceParent) {
    var e = new RunEntity();
    e.id = UUID.randomUUID();
    e.name = p.name();
    e.learningRate = p.learningRate();
    e.batchSize = p.batchSize();
    e.epochs = p.epochs();
    e.resize = p.resize();
    e.optimizer = p.optimizer();
    e.oneByOneConvs = p.oneByOneConvs();
    e.dropout = p.dropout();
    e.seed = p.seed();
    e.trainLimit = p.trainLimit();
    e.testLimit = p.testLimit();
    e.augment = p.augment();
    e.logEvery = p.logEvery();
    e.checkpointEverySteps = p.checkpointEverySteps();
    e.recipe = p.recipe();
    e.warmupSteps = p.warmupSteps();
    e.schedule = p.schedule();
    e.labelSmoothing = p.labelSmoothing();
    e.averageDecay = p.averageDecay();
    e.weightDecay = p.weightDecay();
    e.cropPadding = p.cropPadding();
    e.earlyStopPatience = p.earlyStopPatience();
    e.earlyStopMinDelta = p.earlyStopMinDelta();
    e.precision = p.precision();
    e.reproduces = reproduces;
    e.traceParent = traceParent;
    return e;
  }

  /** The row as the API shows it, with the two facts computed from the run's metrics. */
  Run toRun(Double bestTestTop1, List<String> neverPredicted) {
    var parameters =
        new RunParameters(
            name,
            learningRate,
            batchSize,
            epochs,
            resize,
            optimizer,
            oneByOneConvs,
            dropout,
            seed,
            trainLimit,
            testLimit,
            augment,
            logEvery,
            checkpointEverySteps,
            recipe,
            warmupSteps,
            schedule,
            labelSmoothing,
            averageDecay,
            precision,
            weightDecay,
            cropPadding,
            earlyStopPatience,
            earlyStopMinDelta);
    return new Run(
        id,
        status,
        parameters,
        currentEpoch,
        currentStep,
        imagesPerSecond,
        params,
        flopsPerImage,
        device,
        claimedBy,
        attempts,
        cancelRequested,
        error,
        batchesPerEpoch,
        imagesPerEpoch,
        createdAt,
        startedAt,
        finishedAt,
        bestTestTop1,
        neverPredicted,
        reproduces,
        sweepId,
        sweepTrial,
        stopReason);
  }

  // The lowercase names the API uses (and the columns' CHECKs allow), not the enums' Java names.

  /** An enum stored as its API name ({@code id()}), read back with its {@code parse}. */
  abstract static class TextEnumColumn<E> implements AttributeConverter<E, String> {
    private final Function<E, String> id;
    private final Function<String, E> parse;

    TextEnumColumn(Function<E, String> id, Function<String, E> parse) {
      this.id = id;
      this.parse = parse;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
      return value == null ? null : id.apply(value);
    }

    @Override
    public E convertToEntityAttribute(String column) {
      return column == null ? null : parse.apply(column);
    }
  }

  @Converter
  static class OptimizerColumn extends TextEnumColumn<Optimizer> {
    OptimizerColumn() {
      super(Optimizer::id, Optimizer::parse);
    }
  }

  @Converter
  static class RecipeColumn extends TextEnumColumn<Recipe> {
    RecipeColumn() {
      super(Recipe::id, Recipe::parse);
    }
  }

  @Converter
  static class ScheduleColumn extends TextEnumColumn<Schedule> {
    ScheduleColumn() {
      super(Schedule::id, Schedule::parse);
    }
  }

  @Converter
  static class PrecisionColumn extends TextEnumColumn<Precision> {
    PrecisionColumn() {
      super(Precision::id, Precision::parse);
    }
  }
}
