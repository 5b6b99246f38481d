package dev.nin.core.training;

import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one training loop: the CLI, the benchmark and the trainer service all train through it.
 * Batches come from a {@link BatchSource}; each is one training step; after an epoch's last batch
 * the test split is evaluated and the listener records the epoch; the loop ends after the last
 * epoch or when asked to stop between two steps.
 *
 * <p>Throughput counts the wait for each batch (a slow feed shows as fewer images per second) and
 * not the evaluation and recording at an epoch's end.
 */
public final class TrainingLoop {

  /** How a loop ended. */
  public enum Ending {
    /** Every epoch up to the last was trained and recorded. */
    COMPLETED,
    /** Asked to stop between two steps. */
    STOPPED
  }

  private final NinTrainer trainer;
  private final int epochs;
  private final Supplier<Iterator<Batch>> testSplit;
  private final TrainingListener listener;

  /**
   * @param epochs the epoch after whose end the loop completes is {@code epochs - 1}
   * @param testSplit a fresh pass over the test split, for each evaluation
   */
  public TrainingLoop(
      NinTrainer trainer,
      int epochs,
      Supplier<Iterator<Batch>> testSplit,
      TrainingListener listener) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
    }
    this.trainer = trainer;
    this.epochs = epochs;
    this.testSplit = testSplit;
    this.listener = listener;
  }

  /** Trains from a fresh epoch. */
  public Ending run(BatchSource source, BooleanSupplier stopRequested) throws Exception {
    return run(source, EpochProgress.start(), stopRequested);
  }

  /**
   * Trains until the last epoch ends or a stop is asked for.
   *
   * @param resumed the running figures of the epoch a resumed run is inside ({@link
   *     EpochProgress#start()} at an epoch's start), so that each image counts once
   */
  public Ending run(BatchSource source, EpochProgress resumed, BooleanSupplier stopRequested)
      throws Exception {
    var progress = resumed;
    boolean inEpoch = false;
    long mark = System.nanoTime();
    while (true) {
      if (stopRequested.getAsBoolean()) {
        return Ending.STOPPED;
      }
      FedBatch fed = source.next();
      if (!inEpoch) {
        listener.onEpochStart(fed);
        inEpoch = true;
      }
      StepResult step = trainer.trainStep(fed.batch());
      long now = System.nanoTime();
      progress = progress.add(step, (now - mark) / 1e9, fed.epoch(), fed.index());
      mark = now;
      listener.onStep(fed, step, progress);
      if (!fed.endsEpoch()) {
        continue;
      }
      listener.onEvaluationStart(fed.epoch());
      var test = trainer.evaluate(testSplit.get());
      listener.onEpochEnd(new TrainingListener.EpochEnd(fed, step, progress, test));
      if (fed.epoch() + 1 >= epochs) {
        return Ending.COMPLETED;
      }
      progress = EpochProgress.start();
      inEpoch = false;
      mark = System.nanoTime(); // evaluation and recording are not training time
    }
  }
}
