package dev.nin.trainer.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.testsupport.RealInfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class RunClaimIT {

  @Inject RunRepository runs;
  @Inject AgroalDataSource dataSource;

  @Test
  void concurrentTrainersNeverClaimTheSameRunAndTakeTheOldestFirst() throws Exception {
    var queued = new ArrayList<UUID>();
    for (int i = 0; i < 20; i++) {
      queued.add(runs.insert(RunParameters.from(null, 1000)).id());
    }
    var claimed = Collections.synchronizedList(new ArrayList<UUID>());
    var claimedByEach = Collections.synchronizedList(new ArrayList<List<UUID>>());
    Callable<Void> trainer =
        () -> {
          String me = "trainer-" + Thread.currentThread().getId();
          var mine = new ArrayList<UUID>();
          for (var run = runs.claimNext(me, Duration.ofHours(1));
              run.isPresent();
              run = runs.claimNext(me, Duration.ofHours(1))) {
            assertThat(run.get().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.get().claimedBy()).isEqualTo(me);
            claimed.add(run.get().id());
            mine.add(run.get().id());
          }
          claimedByEach.add(mine);
          return null;
        };
    try (var pool = new AutoClosingPool(4)) {
      for (var f : pool.invokeAll(List.of(trainer, trainer, trainer, trainer))) {
        f.get();
      }
    }

    claimed.forEach(id -> runs.finish(id, RunStatus.CANCELLED, null)); // no later test trains them
    assertThat(new HashSet<>(claimed)).hasSameSizeAs(claimed).containsAll(queued);
    // Oldest first: whatever the interleaving, each trainer got the queued runs in the order they
    // were submitted (each claim takes the oldest run left).
    for (List<UUID> mine : claimedByEach) {
      List<Integer> positions =
          mine.stream().filter(queued::contains).map(queued::indexOf).toList();
      assertThat(positions).as("submission order of one trainer's claims").isSorted();
    }
  }

  @Test
  void oneTrainerClaimsQueuedRunsInTheOrderTheyWereSubmitted() {
    var queued = new ArrayList<UUID>();
    for (int i = 0; i < 5; i++) {
      queued.add(runs.insert(RunParameters.from(null, 1000)).id());
    }
    var claimed = new ArrayList<UUID>();
    for (var run = runs.claimNext("only", Duration.ofHours(1));
        run.isPresent();
        run = runs.claimNext("only", Duration.ofHours(1))) {
      claimed.add(run.get().id());
      runs.finish(run.get().id(), RunStatus.CANCELLED, null); // no later test trains it
    }
    assertThat(claimed.stream().filter(queued::contains).toList())
        .containsExactlyElementsOf(queued);
  }

  @Test
  void aSweepsTrialsAreClaimedInTrialOrderAndNeverMoreThanItsParallelismAtOnce() throws Exception {
    // the race (two trainers each counting one free place) shows only sometimes: several rounds
    for (int round = 0; round < 5; round++) {
      var trials = sweepOfFiveTrialsTwoAtATime();

      // four trainers ask at the same moment: two places, so two trials, the first two
      var claimed = Collections.synchronizedList(new ArrayList<UUID>());
      Callable<Void> trainer =
          () -> {
            String me = "trainer-" + Thread.currentThread().getId();
            for (var run = runs.claimNext(me, Duration.ofHours(1));
                run.isPresent();
                run = runs.claimNext(me, Duration.ofHours(1))) {
              if (trials.contains(run.get().id())) {
                claimed.add(run.get().id());
              } else {
                runs.finish(run.get().id(), RunStatus.CANCELLED, null); // a leftover
              }
            }
            return null;
          };
      try (var pool = new AutoClosingPool(4)) {
        for (var f : pool.invokeAll(List.of(trainer, trainer, trainer, trainer))) {
          f.get();
        }
      }
      assertThat(claimed)
          .as("round " + round)
          .containsExactlyInAnyOrder(trials.get(0), trials.get(1));

      // a trial ends: its place goes to the next trial
      runs.finish(trials.get(1), RunStatus.STOPPED_EARLY, null);
      assertThat(runs.claimNext("next", Duration.ofHours(1))).map(Run::id).contains(trials.get(2));
      assertThat(runs.claimNext("next", Duration.ofHours(1))).isEmpty();
      trials.forEach(id -> runs.finish(id, RunStatus.CANCELLED, null)); // no later test trains them
    }
  }

  private List<UUID> sweepOfFiveTrialsTwoAtATime() throws Exception {
    UUID sweep = UUID.randomUUID();
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "insert into sweep (id, spec, search, seed, trials, parallelism, stop_rule)"
                    + " values (?, '{}', 'grid', 0, 5, 2, 'none')")) {
      s.setObject(1, sweep);
      s.executeUpdate();
    }
    var trials = new ArrayList<UUID>();
    for (int trial = 1; trial <= 5; trial++) {
      trials.add(runs.insertTrial(RunParameters.from(null, 1000), sweep, trial, "{}").id());
    }
    return trials;
  }

  @Test
  void aRunWhoseTrainerStoppedHeartbeatingIsClaimedAgain() throws Exception {
    UUID id = runs.insert(RunParameters.from(null, 1000)).id();
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "update training_run set status = 'RUNNING', claimed_by = 'dead',"
                    + " heartbeat_at = now() - interval '10 minutes', attempts = 1 where id = ?")) {
      s.setObject(1, id);
      s.executeUpdate();
    }

    List<UUID> reclaimed = new ArrayList<>();
    for (var run = runs.claimNext("alive", Duration.ofMinutes(1));
        run.isPresent();
        run = runs.claimNext("alive", Duration.ofMinutes(1))) {
      reclaimed.add(run.get().id());
      if (run.get().id().equals(id)) {
        assertThat(run.get().attempts()).isEqualTo(2);
        assertThat(run.get().claimedBy()).isEqualTo("alive");
      }
    }
    assertThat(reclaimed).contains(id);
  }

  /** A fixed pool closed at the end of a try block (Java 17 has no closeable executors). */
  private static final class AutoClosingPool implements AutoCloseable {
    private final java.util.concurrent.ExecutorService pool;

    AutoClosingPool(int threads) {
      pool = Executors.newFixedThreadPool(threads);
    }

    <T> List<java.util.concurrent.Future<T>> invokeAll(List<Callable<T>> tasks)
        throws InterruptedException {
      return pool.invokeAll(tasks);
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
