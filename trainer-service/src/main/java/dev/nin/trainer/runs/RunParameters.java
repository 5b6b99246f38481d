package dev.nin.trainer.runs;

import dev.nin.core.model.Chapter;
import dev.nin.core.model.NinConfig;
import dev.nin.core.model.ShapeWalk;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.Optimizer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Recipe;
import dev.nin.core.training.Schedule;
import dev.nin.core.training.TrainingConfig;
import dev.nin.dataset.Augmentation;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.SamplingPlan;
import dev.nin.servicekit.web.InvalidFieldException;

/** A run's hyperparameters, validated, with the chapter's defaults filled in. */
public record RunParameters(
    String name,
    double learningRate,
    int batchSize,
    int epochs,
    int resize,
    Optimizer optimizer,
    int oneByOneConvs,
    double dropout,
    long seed,
    Integer trainLimit,
    Integer testLimit,
    boolean augment,
    int logEvery,
    Integer checkpointEverySteps,
    Recipe recipe,
    int warmupSteps,
    Schedule schedule,
    double labelSmoothing,
    double averageDecay,
    Precision precision,
    double weightDecay,
    int cropPadding,
    Integer earlyStopPatience,
    double earlyStopMinDelta) {

  /** The longest plateau a run may be asked to wait out before it stops early, in epochs. */
  public static final int LONGEST_PATIENCE = 1000;

  static final int SMALLEST_RESIZE = ShapeWalk.smallestInput(NinConfig.chapter().architecture());

  /** Validates a submission, float32 unless it asks otherwise. */
  public static RunParameters from(RunSubmission s, int maxEpochs) {
    return from(s, maxEpochs, Precision.FP32);
  }

  /**
   * Validates a submission; the exception names the first field out of range. A submission without
   * a precision takes {@code defaultPrecision} (the trainer's).
   */
  public static RunParameters from(RunSubmission s, int maxEpochs, Precision defaultPrecision) {
    if (s == null) {
      s =
          new RunSubmission(
              null, null, null, null, null, null, null, null, null, null, null, null, null, null,
              null, null, null, null, null, null, null, null, null, null);
    }
    String name = s.name();
    if (name != null && name.length() > 200) {
      throw new InvalidFieldException("name", "name must be at most 200 characters");
    }
    if (name != null && !isPrintableText(name)) {
      // PostgreSQL's text cannot hold NUL, and no run name needs a control character
      throw new InvalidFieldException(
          "name", "name must not contain control characters or unpaired surrogates");
    }
    double lr = orElse(s.learningRate(), Chapter.LEARNING_RATE);
    require(lr > 0 && lr <= 1, "learningRate", "learningRate must be in (0, 1], was " + lr);
    int batch = orElse(s.batchSize(), Chapter.BATCH_SIZE);
    require(
        batch >= 1 && batch <= 4096, "batchSize", "batchSize must be in [1, 4096], was " + batch);
    int epochs = orElse(s.epochs(), Chapter.EPOCHS);
    require(
        epochs >= 1 && epochs <= maxEpochs,
        "epochs",
        "epochs must be in [1, " + maxEpochs + "], was " + epochs);
    int resize = orElse(s.resize(), Chapter.RESIZE);
    require(
        resize >= SMALLEST_RESIZE && resize <= NinConfig.LARGEST_RESIZE,
        "resize",
        "resize must be in ["
            + SMALLEST_RESIZE
            + ", "
            + NinConfig.LARGEST_RESIZE
            + "] px (smaller inputs no longer fit NiN's"
            + " pooling windows), was "
            + resize);
    Optimizer optimizer;
    try {
      optimizer = s.optimizer() == null ? Optimizer.ADAM : Optimizer.parse(s.optimizer());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("optimizer", e.getMessage());
    }
    int oneByOne = orElse(s.oneByOneConvs(), Chapter.ONE_BY_ONE_CONVS);
    require(
        oneByOne >= 0 && oneByOne <= 4,
        "oneByOneConvs",
        "oneByOneConvs must be in [0, 4], was " + oneByOne);
    double dropout = orElse(s.dropout(), Chapter.DROPOUT);
    require(dropout >= 0 && dropout < 1, "dropout", "dropout must be in [0, 1), was " + dropout);
    long seed = orElse(s.seed(), Chapter.SEED);
    require(seed >= 0, "seed", "seed must be at least 0, was " + seed);
    require(
        s.trainLimit() == null || (s.trainLimit() >= 1 && s.trainLimit() <= 60_000),
        "trainLimit",
        "trainLimit must be in [1, 60000], was " + s.trainLimit());
    require(
        s.testLimit() == null || (s.testLimit() >= 1 && s.testLimit() <= 10_000),
        "testLimit",
        "testLimit must be in [1, 10000], was " + s.testLimit());
    int logEvery = orElse(s.logEvery(), Chapter.LOG_EVERY);
    require(
        logEvery >= 1 && logEvery <= 100_000,
        "logEvery",
        "logEvery must be in [1, 100000], was " + logEvery);
    require(
        s.checkpointEverySteps() == null || s.checkpointEverySteps() >= 1,
        "checkpointEverySteps",
        "checkpointEverySteps must be at least 1, was " + s.checkpointEverySteps());
    Recipe recipe;
    try {
      recipe = s.recipe() == null ? Recipe.DEFAULT : Recipe.parse(s.recipe());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("recipe", e.getMessage());
    }
    // the recipe's options, each overridable; the bounds are TrainingConfig's
    int warmup = orElse(s.warmupSteps(), recipe.warmupSteps());
    require(
        warmup >= 0 && warmup <= TrainingConfig.LARGEST_WARMUP,
        "warmupSteps",
        "warmupSteps must be in [0, " + TrainingConfig.LARGEST_WARMUP + "], was " + warmup);
    Schedule schedule;
    try {
      schedule = s.schedule() == null ? Schedule.CONSTANT : Schedule.parse(s.schedule());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("schedule", e.getMessage());
    }
    double smoothing = orElse(s.labelSmoothing(), recipe.labelSmoothing());
    require(
        smoothing >= 0 && smoothing < 1,
        "labelSmoothing",
        "labelSmoothing must be in [0, 1), was " + smoothing);
    double averageDecay = orElse(s.averageDecay(), recipe.averageDecay());
    require(
        averageDecay >= 0 && averageDecay < 1,
        "averageDecay",
        "averageDecay must be in [0, 1) (0: no average), was " + averageDecay);
    double weightDecay = orElse(s.weightDecay(), 0.0);
    require(
        weightDecay >= 0 && weightDecay < 1,
        "weightDecay",
        "weightDecay must be in [0, 1) (0: none), was " + weightDecay);
    int cropPadding = orElse(s.cropPadding(), 0);
    require(
        cropPadding >= 0 && cropPadding <= Augmentation.LARGEST_CROP_PADDING,
        "cropPadding",
        "cropPadding must be in [0, "
            + Augmentation.LARGEST_CROP_PADDING
            + "] px (0: no crops), was "
            + cropPadding);
    require(
        s.earlyStopPatience() == null
            || (s.earlyStopPatience() >= 1 && s.earlyStopPatience() <= LONGEST_PATIENCE),
        "earlyStopPatience",
        "earlyStopPatience must be in [1, "
            + LONGEST_PATIENCE
            + "] epochs (unset: no early stop), was "
            + s.earlyStopPatience());
    double minDelta = orElse(s.earlyStopMinDelta(), 0.0);
    require(
        minDelta >= 0 && minDelta < 1,
        "earlyStopMinDelta",
        "earlyStopMinDelta must be in [0, 1) (test top-1 a new best must gain), was " + minDelta);
    Precision precision;
    try {
      precision = s.precision() == null ? defaultPrecision : Precision.parse(s.precision());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("precision", e.getMessage());
    }
    return new RunParameters(
        name,
        lr,
        batch,
        epochs,
        resize,
        optimizer,
        oneByOne,
        dropout,
        seed,
        s.trainLimit(),
        s.testLimit(),
        Boolean.TRUE.equals(s.augment()),
        logEvery,
        s.checkpointEverySteps(),
        recipe,
        warmup,
        schedule,
        smoothing,
        averageDecay,
        precision,
        weightDecay,
        cropPadding,
        s.earlyStopPatience(),
        minDelta);
  }

  /** The network this run trains. */
  public NinConfig model() {
    return new NinConfig(resize, oneByOneConvs, dropout, Chapter.CLASSES, recipe.init(), seed);
  }

  /**
   * How this run learns on {@code device}: its optimizer and rate, and the recipe's options as the
   * run resolved them; a schedule spans the run's own length.
   */
  public TrainingConfig training(DeviceChoice device) {
    return new TrainingConfig(
        optimizer,
        learningRate,
        warmupSteps,
        schedule,
        schedule.decaySteps((long) epochs * batchesPerEpoch()),
        weightDecay,
        averageDecay,
        labelSmoothing,
        device,
        precision);
  }

  /** Training images an epoch holds: the limit, or the whole official split. */
  public int trainImages() {
    return trainLimit == null ? Split.TRAIN.count() : trainLimit;
  }

  /** The same parameters under another name. */
  public RunParameters withName(String otherName) {
    return new RunParameters(
        otherName,
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
  }

  /** Batches an epoch holds, as the ingest service batches it (the last one may be short). */
  public int batchesPerEpoch() {
    return SamplingPlan.batchCount(trainImages(), batchSize);
  }

  /** No control character (NUL included) and no half of a surrogate pair. */
  static boolean isPrintableText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }

  private static void require(boolean ok, String field, String detail) {
    if (!ok) {
      throw new InvalidFieldException(field, detail);
    }
  }
}
