package dev.nin.core.training;

/**
 * What a {@link TrainingLoop} tells whoever records a run (as DJL's {@code TrainingListener}): the
 * CLI prints, the trainer service writes metrics, checkpoints and events. Each callback runs on the
 * loop's thread, between two training steps; an exception from one ends the loop.
 */
public interface TrainingListener {

  /** Before the first step of an epoch, or of the first epoch a resumed run continues. */
  default void onEpochStart(FedBatch first) throws Exception {}

  /**
   * After each training step, an epoch's last included (then before its evaluation).
   *
   * @param progress the epoch's running figures, this step included
   */
  default void onStep(FedBatch batch, StepResult step, EpochProgress progress) throws Exception {}

  /** After an epoch's last step, before its evaluation on the test split. */
  default void onEvaluationStart(int epoch) throws Exception {}

  /** After an epoch's last step and its evaluation: where checkpoints are committed. */
  default void onEpochEnd(EpochEnd end) throws Exception {}

  /**
   * An epoch's end.
   *
   * @param last the epoch's last batch
   * @param step its training step
   * @param progress the whole epoch's training figures
   * @param test the evaluation on the test split, with the weights the model would serve
   */
  record EpochEnd(FedBatch last, StepResult step, EpochProgress progress, Evaluation test) {
    public int epoch() {
      return last.epoch();
    }
  }
}
