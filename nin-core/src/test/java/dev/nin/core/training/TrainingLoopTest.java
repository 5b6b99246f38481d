package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.model.NinConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one loop the CLI, the benchmark and the trainer service train through. */
class TrainingLoopTest {

  private static final NinConfig SMALL = NinConfig.chapter().withResize(67).withSeed(3);
  private static final int BATCHES_PER_EPOCH = 3;
  private static final List<Batch> TEST = List.of(SyntheticBatches.batch(8, 100));

  /** Epochs of three synthetic batches of 4 images, from {@code firstPosition} on. */
  private static BatchSource epochs(long firstPosition) {
    return new BatchSource() {
      long position = firstPosition;

      @Override
      public FedBatch next() {
        long p = position++;
        return new FedBatch(
            SyntheticBatches.batch(4, p),
            (int) (p / BATCHES_PER_EPOCH),
            (int) (p % BATCHES_PER_EPOCH),
            BATCHES_PER_EPOCH,
            p,
            4L * BATCHES_PER_EPOCH);
      }
    };
  }

  /** Writes down every callback, as a journal would. */
  private static final class Recorder implements TrainingListener {
    final List<String> calls = new ArrayList<>();
    final List<EpochEnd> ends = new ArrayList<>();

    @Override
    public void onEpochStart(FedBatch first) {
      calls.add("start " + first.epoch() + "/" + first.index());
    }

    @Override
    public void onStep(FedBatch batch, StepResult step, EpochProgress progress) {
      calls.add("step " + step.step());
    }

    @Override
    public void onEvaluationStart(int epoch) {
      calls.add("evaluate " + epoch);
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
      calls.add("end " + end.epoch());
      ends.add(end);
    }
  }

  @Test
  void eachEpochIsStartedSteppedEvaluatedAndEndedInOrderUntilTheLastOne() throws Exception {
    var recorder = new Recorder();
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      var ending =
          new TrainingLoop(trainer, 2, TEST::iterator, recorder).run(epochs(0), () -> false);

      assertThat(ending).isEqualTo(TrainingLoop.Ending.COMPLETED);
      assertThat(recorder.calls)
          .containsExactly(
              "start 0/0",
              "step 1",
              "step 2",
              "step 3",
              "evaluate 0",
              "end 0",
              "start 1/0",
              "step 4",
              "step 5",
              "step 6",
              "evaluate 1",
              "end 1");
      var first = recorder.ends.get(0);
      assertThat(first.progress().images()).isEqualTo(12);
      assertThat(first.last().position()).isEqualTo(2);
      assertThat(first.test().images()).isEqualTo(8);
      assertThat(recorder.ends.get(1).progress().images())
          .as("each epoch counts its own images")
          .isEqualTo(12);
    }
  }

  @Test
  void aStopBetweenTwoStepsEndsTheLoopWithoutTakingAnotherBatch() throws Exception {
    var recorder = new Recorder();
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      var ending =
          new TrainingLoop(trainer, 2, TEST::iterator, recorder)
              .run(epochs(0), () -> recorder.calls.contains("step 2"));

      assertThat(ending).isEqualTo(TrainingLoop.Ending.STOPPED);
      assertThat(recorder.calls).containsExactly("start 0/0", "step 1", "step 2");
      assertThat(trainer.step()).isEqualTo(2);
    }
  }

  @Test
  void aResumedEpochContinuesItsRunningFiguresSoEachImageCountsOnce() throws Exception {
    var recorder = new Recorder();
    var resumed = EpochProgress.start().add(new StepResult(1, 4, 2.0, 1, 2), 0.5, 0, 0);
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      new TrainingLoop(trainer, 1, TEST::iterator, recorder).run(epochs(1), resumed, () -> false);

      assertThat(recorder.calls).startsWith("start 0/1").endsWith("evaluate 0", "end 0");
      assertThat(recorder.ends.get(0).progress().images()).isEqualTo(12);
      assertThat(recorder.ends.get(0).progress().batchDigest())
          .as("the same batches as an uninterrupted epoch")
          .isEqualTo(
              EpochProgress.start()
                  .add(new StepResult(1, 4, 0, 0, 0), 0, 0, 0)
                  .add(new StepResult(2, 4, 0, 0, 0), 0, 0, 1)
                  .add(new StepResult(3, 4, 0, 0, 0), 0, 0, 2)
                  .batchDigest());
    }
  }
}
