package dev.nin.trainer.training;

import dev.nin.trainer.metrics.MetricRepository;
import dev.nin.trainer.persistence.DatabaseRetry;
import dev.nin.trainer.runs.Run;
import dev.nin.trainer.sweeps.StopRule;
import dev.nin.trainer.sweeps.SweepRepository;
import dev.nin.trainer.sweeps.SweepRepository.Stopping;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides after each evaluated epoch whether a run should stop before its last: a sweep's trial at
 * one of its rungs by the sweep's rule, any run by its own plateau patience. The decision reads the
 * epoch's figures from the database (the same ones a resumed attempt would read), and once made it
 * stays made: the training loop stops before the next step.
 */
final class EarlyStop {

  private final Run run;
  private final MetricRepository metrics;
  private final SweepRepository sweeps;
  private final DatabaseRetry retry;
  private final Plateau plateau;
  private Optional<Stopping> stopping;
  private volatile String reason;

  EarlyStop(Run run, MetricRepository metrics, SweepRepository sweeps, DatabaseRetry retry) {
    this.run = run;
    this.metrics = metrics;
    this.sweeps = sweeps;
    this.retry = retry;
    var p = run.parameters();
    this.plateau =
        p.earlyStopPatience() == null
            ? null
            : new Plateau(p.earlyStopPatience(), p.earlyStopMinDelta());
  }

  /** Judges the run after epoch {@code epoch} (from 0) evaluated to {@code testTop1}. */
  void afterEpoch(int epoch, double testTop1) throws InterruptedException {
    if (reason != null || epoch + 1 >= run.parameters().epochs()) {
      return; // decided, or nothing left to stop
    }
    if (run.sweepId() != null) {
      if (stopping == null) {
        stopping = retry.call("reading the sweep's rule", () -> sweeps.stopping(run.sweepId()));
      }
      var rule = stopping.orElse(null);
      if (rule != null && rule.rungs().contains(epoch + 1)) {
        var earlier =
            retry.call(
                "reading the sweep's rung",
                () -> sweeps.othersAtEpoch(run.sweepId(), epoch, run.id()));
        var cutoff = rule.rule().cutoff(earlier, rule.eta());
        if (cutoff.isPresent() && testTop1 < cutoff.getAsDouble()) {
          reason =
              String.format(
                  Locale.ROOT,
                  "%s at rung %d: test top-1 %.4f below the cutoff %.4f of %d earlier trials%s",
                  rule.rule().id(),
                  epoch + 1,
                  testTop1,
                  cutoff.getAsDouble(),
                  earlier.size(),
                  rule.rule() == StopRule.ASHA ? " (eta " + rule.eta() + ")" : "");
          return;
        }
      }
    }
    if (plateau != null) {
      var history =
          retry.call("reading the run's test top-1", () -> metrics.testTop1ByEpoch(run.id()));
      reason = plateau.reached(history).orElse(null);
    }
  }

  /**
   * Makes again, for an attempt resumed at the start of epoch {@code nextEpoch}, the decision its
   * predecessor was due to make after the epoch before: a trainer that died between committing that
   * epoch (metrics and epoch checkpoint) and recording the stop would otherwise have the run train
   * past its rung or plateau. A resumed attempt judges on what the database holds, as the first one
   * did; nothing is judged when that epoch's evaluation was not committed.
   */
  void onResumeAt(int nextEpoch) throws InterruptedException {
    if (nextEpoch <= 0) {
      return;
    }
    var history =
        retry.call("reading the run's test top-1", () -> metrics.testTop1ByEpoch(run.id()));
    if (history.size() >= nextEpoch) {
      afterEpoch(nextEpoch - 1, history.get(nextEpoch - 1));
    }
  }

  boolean decided() {
    return reason != null;
  }

  /** Why the run stops early; null while it does not. */
  String reason() {
    return reason;
  }
}
