package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.trainer.runs.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code sweep} through Hibernate ORM with Panache; the trials are {@code training_run} rows that
 * {@link RunRepository} writes. Two reads stay SQL, each saying why.
 */
@ApplicationScoped
public class SweepRepository {

  /** How a sweep judges its trials, for the trainer that trains one. */
  public record Stopping(StopRule rule, List<Integer> rungs, int eta) {}

  private final SweepEntities sweeps;
  private final RunRepository runs;
  private final ObjectMapper json;

  SweepRepository(SweepEntities sweeps, RunRepository runs, ObjectMapper json) {
    this.sweeps = sweeps;
    this.runs = runs;
    this.json = json;
  }

  /** The sweep and all its trials, queued in one transaction: all of them or none. */
  @Transactional
  SweepEntity create(SweepPlan plan, String specJson) throws JsonProcessingException {
    var sweep = SweepEntity.of(plan, specJson);
    sweeps.persist(sweep);
    sweeps.flush(); // the trials reference it, and created_at is the database's
    for (var trial : plan.trials()) {
      runs.insertTrial(
          trial.parameters(), sweep.id, trial.number(), json.writeValueAsString(trial.values()));
    }
    return sweep;
  }

  @Transactional
  Optional<SweepEntity> find(UUID id) {
    return sweeps.findByIdOptional(id);
  }

  @Transactional
  List<SweepEntity> newest(int limit) {
    return sweeps.find("#" + SweepEntity.NEWEST).page(0, limit).list();
  }

  /** Marks the sweep cancelled, cancels its queued trials and stops its running ones. */
  @Transactional
  boolean cancel(UUID id) {
    if (sweeps.update("#" + SweepEntity.CANCEL, id) == 0) {
      return false;
    }
    runs.cancelTrials(id);
    return true;
  }

  /**
   * The sweep's trials, best first, with their test top-1 curves.
   *
   * <p>SQL: the ranking is the {@code sweep_summary} view's, the one SQL users query, so the API
   * and the view cannot disagree; a view has no entity here.
   */
  @Transactional
  List<TrialView> trials(UUID sweepId) throws JsonProcessingException {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        sweeps
            .getEntityManager()
            .createNativeQuery(
                "select rank, trial, run_id, status, stop_reason, tried::text, epochs_done,"
                    + " best_test_top1, final_test_top1, duration_s::double precision"
                    + " from sweep_summary where sweep_id = :sweep order by rank, trial")
            .setParameter("sweep", sweepId)
            .getResultList();
    var curves = curves(sweepId);
    var trials = new ArrayList<TrialView>(rows.size());
    for (Object[] row : rows) {
      UUID runId = (UUID) row[2];
      trials.add(
          new TrialView(
              ((Number) row[0]).intValue(),
              ((Number) row[1]).intValue(),
              runId,
              (String) row[3],
              (String) row[4],
              row[5] == null ? null : json.readTree((String) row[5]),
              ((Number) row[6]).longValue(),
              (Double) row[7],
              (Double) row[8],
              (Double) row[9],
              curves.getOrDefault(runId, List.of())));
    }
    return trials;
  }

  /** Each trial's test top-1 by epoch, in one query for the whole sweep. */
  private Map<UUID, List<Double>> curves(UUID sweepId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        sweeps
            .getEntityManager()
            .createNativeQuery(
                "select m.run_id, m.top1 from run_metric m join training_run r on r.id = m.run_id"
                    + " where r.sweep_id = :sweep and m.scope = 'epoch' and m.split = 'test'"
                    + " order by m.run_id, m.epoch")
            .setParameter("sweep", sweepId)
            .getResultList();
    var curves = new HashMap<UUID, List<Double>>();
    rows.forEach(
        row -> curves.computeIfAbsent((UUID) row[0], id -> new ArrayList<>()).add((Double) row[1]));
    return curves;
  }

  /** How the sweep judges its trials, if there is such a sweep. */
  @Transactional
  public Optional<Stopping> stopping(UUID sweepId) {
    return sweeps.findByIdOptional(sweepId).map(s -> new Stopping(s.rule(), s.rungList(), s.eta));
  }

  /**
   * The test top-1 that the sweep's other trials recorded at the end of epoch {@code epoch} (the
   * rung's value), whatever became of them since.
   *
   * <p>SQL: it joins {@code run_metric} to {@code training_run} across two packages' entities,
   * neither of which maps the other.
   */
  @Transactional
  public List<Double> othersAtEpoch(UUID sweepId, int epoch, UUID except) {
    @SuppressWarnings("unchecked")
    List<Double> values =
        sweeps
            .getEntityManager()
            .createNativeQuery(
                "select m.top1 from run_metric m join training_run r on r.id = m.run_id"
                    + " where r.sweep_id = :sweep and r.id <> :run and m.scope = 'epoch'"
                    + " and m.split = 'test' and m.epoch = :epoch and m.top1 is not null",
                Double.class)
            .setParameter("sweep", sweepId)
            .setParameter("run", except)
            .setParameter("epoch", epoch)
            .getResultList();
    return values;
  }
}
