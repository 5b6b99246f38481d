package dev.nin.trainer.runs;

import dev.nin.core.training.Precision;
import dev.nin.servicekit.tracing.TraceContext;
import dev.nin.trainer.metrics.MetricRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * {@code training_run} (and its {@code run_attempt} log) through Hibernate ORM with Panache. A run
 * is inserted as an entity; every later change is a targeted update of its own columns, on the
 * database's clock ({@code current_timestamp}), because the API, the owning trainer and other
 * trainers write the same row at once. Three statements stay SQL, each saying why.
 */
@ApplicationScoped
public class RunRepository {

  /** {@code to_timestamp(0)}: a heartbeat so old that any trainer takes the run at once. */
  private static final OffsetDateTime LONG_AGO =
      OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);

  /** The advisory lock's key that serialises claims (any constant no other code takes). */
  private static final long CLAIM_LOCK = 0x6e696e636c61696dL; // "ninclaim" in ASCII

  private final RunEntities runs;
  private final MetricRepository metrics;

  RunRepository(RunEntities runs, MetricRepository metrics) {
    this.runs = runs;
    this.metrics = metrics;
  }

  @Transactional
  public Run insert(RunParameters p) {
    return insert(p, null);
  }

  /** A run with the same parameters as {@code original}, queued to reproduce it. */
  @Transactional
  public Run insertReproduction(Run original) {
    var p = original.parameters();
    String name = (p.name() == null ? "run" : p.name()) + " (reproduction)";
    return insert(p.withName(name), original.id());
  }

  /**
   * Queues trial {@code trial} of sweep {@code sweepId}: an ordinary run that any trainer claims,
   * in trial order, while fewer than the sweep's parallelism of its trials are running.
   */
  @Transactional
  public Run insertTrial(RunParameters p, UUID sweepId, int trial, String valuesJson) {
    var run = RunEntity.queued(p, null, TraceContext.currentTraceparent());
    run.sweepId = sweepId;
    run.sweepTrial = trial;
    run.sweepValues = valuesJson;
    return persisted(run);
  }

  /** Cancels a sweep's queued trials at once and asks the trainers of its running ones to stop. */
  @Transactional
  public void cancelTrials(UUID sweepId) {
    runs.update(
        "#" + RunEntity.CANCEL_QUEUED_TRIALS, RunStatus.CANCELLED, sweepId, RunStatus.QUEUED);
    runs.update("#" + RunEntity.CANCEL_RUNNING_TRIALS, sweepId, RunStatus.RUNNING);
  }

  /** Why the run is ending STOPPED_EARLY, written before its end is. */
  @Transactional
  public void stopReason(UUID id, String reason) {
    runs.update("#" + RunEntity.STOP_REASON, reason, id);
  }

  private Run insert(RunParameters p, UUID reproduces) {
    // the request's trace, which the run's training joins (null while tracing is off)
    return persisted(RunEntity.queued(p, reproduces, TraceContext.currentTraceparent()));
  }

  private Run persisted(RunEntity run) {
    runs.persist(run);
    runs.flush(); // reads back created_at, the database's clock
    // a new run has no metrics yet: its computed facts are known without a query
    return run.toRun(null, List.of());
  }

  @Transactional
  public Optional<Run> find(UUID id) {
    return runs.findByIdOptional(id).map(run -> withFacts(List.of(run)).get(0));
  }

  /** Newest first, optionally one status only. */
  @Transactional
  public List<Run> list(RunStatus status, int limit) {
    var query =
        status == null
            ? runs.find("#" + RunEntity.NEWEST)
            : runs.find("#" + RunEntity.NEWEST_WITH_STATUS, status);
    return withFacts(query.page(0, limit).list());
  }

  /**
   * Claims the oldest QUEUED run, or a RUNNING one whose trainer stopped showing life for longer
   * than {@code staleAfter} (it crashed): {@code FOR UPDATE SKIP LOCKED} lets any number of
   * trainers claim at once without ever handing one run to two of them.
   *
   * <p>SQL, not HQL: the claim is one atomic statement on the database's clock (the claim time and
   * the staleness cutoff, so trainers with skewed clocks agree), and a row lock with {@code SKIP
   * LOCKED} and {@code LIMIT} inside a sub-select has no HQL form; as a locking select followed by
   * a flush it would be two round trips holding the lock in between.
   *
   * <p>A sweep's trial is claimed only while fewer than the sweep's parallelism of its other trials
   * are RUNNING, trials in their numbered order. Two trainers counting at once could each see the
   * last free place and both take it, so claims take turns on a transaction-scoped advisory lock
   * first: a claim is one short statement, and trainers poll about once a second.
   */
  @Transactional
  public Optional<Run> claimNext(String instance, Duration staleAfter) {
    runs.getEntityManager()
        .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(:key)) turn")
        .setParameter("key", CLAIM_LOCK)
        .getSingleResult();
    List<UUID> claimed =
        runs.getEntityManager()
            .createNativeQuery(
                "update training_run set status = 'RUNNING', claimed_by = :instance,"
                    + " heartbeat_at = now(), started_at = coalesce(started_at, now()),"
                    + " attempts = attempts + 1"
                    + " where id = (select r.id from training_run r"
                    + "   where ((r.status = 'QUEUED' and not r.cancel_requested)"
                    + "      or (r.status = 'RUNNING'"
                    + "          and r.heartbeat_at < now() - make_interval(secs => :staleSeconds)))"
                    + "     and (r.sweep_id is null"
                    + "       or (select count(*) from training_run t where t.sweep_id = r.sweep_id"
                    + "           and t.status = 'RUNNING' and t.id <> r.id)"
                    + "        < (select s.parallelism from sweep s where s.id = r.sweep_id))"
                    + "   order by r.created_at, r.sweep_trial nulls first"
                    + "   for update of r skip locked limit 1)"
                    + " returning id",
                UUID.class)
            .setParameter("instance", instance)
            .setParameter("staleSeconds", staleAfter.toMillis() / 1000.0)
            .getResultList();
    return claimed.stream().findFirst().flatMap(this::find);
  }

  /**
   * Cancels a queued run at once, or asks its trainer to stop a running one. Returns the run as it
   * is now, or empty when there is no such run.
   */
  @Transactional
  public Optional<Run> requestCancel(UUID id) {
    // A claim that takes the run between the two updates holds its row lock: the first update
    // waits for it, then finds the run RUNNING and leaves it to the second.
    int cancelled =
        runs.update("#" + RunEntity.CANCEL_QUEUED, RunStatus.CANCELLED, id, RunStatus.QUEUED);
    if (cancelled == 0) {
      runs.update("#" + RunEntity.CANCEL_RUNNING, id, RunStatus.RUNNING);
    }
    return find(id);
  }

  /**
   * Records the model's facts when a run starts training, and the precision its trainer computes
   * in: a run submitted with {@code auto} keeps what this start resolved it to, so that a resumed
   * attempt continues in the same arithmetic.
   */
  @Transactional
  public void started(
      UUID id, long params, long flopsPerImage, String device, Precision precision) {
    runs.update("#" + RunEntity.STARTED, params, flopsPerImage, device, precision, id);
  }

  /**
   * Records where an attempt started: the checkpoint it restored (none for a fresh start), the step
   * the restored graph holds and the train-topic offset it reads from. Repeated writes of the same
   * attempt (a database retry) overwrite.
   *
   * <p>SQL, with no entity for {@code run_attempt}: the write is an idempotent upsert on (run,
   * attempt) for {@code DatabaseRetry}'s re-runs, one statement; no Java code reads the table (SQL
   * users and tests do), and Hibernate's own upsert is SQL MERGE, which PostgreSQL 14 lacks.
   */
  @Transactional
  public void recordAttempt(
      UUID id, int attempt, String trainer, Long checkpointId, long startStep, long startOffset) {
    runs.getEntityManager()
        .createNativeQuery(
            "insert into run_attempt (run_id, attempt, trainer, resumed_from_checkpoint,"
                + " start_step, start_offset) values (:run, :attempt, :trainer, :checkpoint,"
                + " :startStep, :startOffset) on conflict (run_id, attempt) do update set"
                + " trainer = excluded.trainer,"
                + " resumed_from_checkpoint = excluded.resumed_from_checkpoint,"
                + " start_step = excluded.start_step, start_offset = excluded.start_offset")
        .unwrap(NativeQuery.class)
        .setParameter("run", id)
        .setParameter("attempt", attempt)
        .setParameter("trainer", trainer)
        // typed: a bare null would leave PostgreSQL unable to tell the parameter's type
        .setParameter("checkpoint", checkpointId, Long.class)
        .setParameter("startStep", startStep)
        .setParameter("startOffset", startOffset)
        .executeUpdate();
  }

  /** The shape of the run's data, known from its first batch. */
  @Transactional
  public void dataShape(UUID id, int batchesPerEpoch, int imagesPerEpoch) {
    runs.update("#" + RunEntity.DATA_SHAPE, batchesPerEpoch, imagesPerEpoch, id);
  }

  @Transactional
  public void progress(UUID id, int epoch, long step, double imagesPerSecond) {
    runs.update("#" + RunEntity.PROGRESS, epoch, step, imagesPerSecond, id);
  }

  /**
   * Shows this instance is alive; returns true when the run should stop (cancelled, or claimed by
   * another instance because this one looked dead).
   *
   * <p>SQL: a compare-and-set whose answer ({@code cancel_requested}) comes from the very row
   * version it matched, in one round trip from a timer thread; HQL's update returns only a count.
   */
  @Transactional
  public boolean heartbeat(UUID id, String instance) {
    List<Boolean> cancelRequested =
        runs.getEntityManager()
            .createNativeQuery(
                "update training_run set heartbeat_at = now() where id = :id"
                    + " and claimed_by = :instance and status = 'RUNNING'"
                    + " returning cancel_requested",
                Boolean.class)
            .setParameter("id", id)
            .setParameter("instance", instance)
            .getResultList();
    return cancelRequested.isEmpty() || cancelRequested.get(0);
  }

  /**
   * Hands a running run back when this instance shuts down in an orderly way (a container restart,
   * a rolling update): the run looks stale at once, so the next trainer, or this one restarted,
   * resumes it from its newest checkpoint without waiting {@code staleAfter}. Clearing {@code
   * claimed_by} also stops a heartbeat still in flight from taking the run back.
   */
  @Transactional
  public void release(UUID id, String instance) {
    runs.update("#" + RunEntity.RELEASE, LONG_AGO, id, instance, RunStatus.RUNNING);
  }

  /** Ends a run; a FAILED run keeps the error users will read. */
  @Transactional
  public void finish(UUID id, RunStatus status, String error) {
    runs.update("#" + RunEntity.FINISH, status, error, id);
  }

  /** The trace context of the request that queued the run (null when tracing was off). */
  @Transactional
  public Optional<String> traceParent(UUID id) {
    List<String> found =
        runs.getEntityManager()
            .createNamedQuery(RunEntity.TRACE_PARENT, String.class)
            .setParameter(1, id)
            .getResultList();
    return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0));
  }

  /** Runs waiting for a trainer (not cancelled). */
  @Transactional
  public long countQueued() {
    return runs.getEntityManager()
        .createNamedQuery(RunEntity.COUNT_QUEUED, Long.class)
        .setParameter(1, RunStatus.QUEUED)
        .getSingleResult();
  }

  /**
   * The runs as the API shows them: two queries for the whole page's metric facts, not two each.
   */
  private List<Run> withFacts(List<RunEntity> page) {
    var ids = page.stream().map(run -> run.id).toList();
    var best = metrics.bestTestTop1(ids);
    var dead = metrics.neverPredicted(ids);
    return page.stream()
        .map(run -> run.toRun(best.get(run.id), dead.getOrDefault(run.id, List.of())))
        .toList();
  }
}
