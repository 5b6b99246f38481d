package dev.nin.trainer.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Recipe;
import org.junit.jupiter.api.Test;

/** What a submitted run trains with: the recipe's options unless the request sets them. */
class RunParametersTest {

  private static RunSubmission submission(
      String recipe, Integer warmup, String schedule, Double smoothing, Double average) {
    return new RunSubmission(
        null, null, null, 2, 67, null, null, null, 3L, 1_000, null, null, null, null, recipe,
        warmup, schedule, smoothing, average, null, null, null, null, null);
  }

  @Test
  void leftOutOptionsTakeTheRecipesValuesAndReachTheTrainingConfig() {
    var p = RunParameters.from(submission(null, null, null, null, null), 100);
    var training = p.training(DeviceChoice.CPU);

    assertThat(training.warmupSteps()).isEqualTo(Recipe.DEFAULT.warmupSteps());
    assertThat(training.labelSmoothing()).isEqualTo(Recipe.DEFAULT.labelSmoothing());
    assertThat(training.averageDecay()).isEqualTo(Recipe.DEFAULT.averageDecay());
    assertThat(training.decaySteps()).as("constant: no decay").isZero();
    assertThat(p.model().init()).isEqualTo(Recipe.DEFAULT.init());
    assertThat(p.model().seed()).isEqualTo(3);
  }

  @Test
  void setOptionsOverrideTheRecipeAndACosineDecaysOverTheRunsOwnSteps() {
    var p = RunParameters.from(submission("chapter", 40, "cosine", 0.1, 0.99), 100);
    var training = p.training(DeviceChoice.CPU);

    assertThat(training.warmupSteps()).isEqualTo(40);
    assertThat(training.labelSmoothing()).isEqualTo(0.1);
    assertThat(training.averageDecay()).isEqualTo(0.99);
    // 1,000 images in batches of 128: 8 a epoch, two epochs
    assertThat(training.decaySteps()).isEqualTo(16);
    assertThat(training.learningRateAt(16)).isLessThan(training.learningRateAt(8));
    assertThat(p.model().init()).isEqualTo(Recipe.CHAPTER.init());
  }

  @Test
  void aStepScheduleSpansTheRunsOwnStepsAndWeightDecayReachesTheTrainingConfig() {
    var p =
        RunParameters.from(
            new RunSubmission(
                null, null, null, 2, 67, null, null, null, 3L, 1_000, null, null, null, null,
                "chapter", null, "step", null, null, null, 0.05, null, null, null),
            100);
    var training = p.training(DeviceChoice.CPU);

    assertThat(training.weightDecay()).isEqualTo(0.05);
    assertThat(RunParameters.from(null, 100).training(DeviceChoice.CPU).weightDecay())
        .as("none unless asked")
        .isZero();
    // 16 steps: the rate is divided by ten from global step 8 (step 9) and again from 12 (step 13)
    assertThat(training.decaySteps()).isEqualTo(16);
    assertThat(training.learningRateAt(8)).isEqualTo(training.learningRate());
    assertThat(training.learningRateAt(9)).isCloseTo(training.learningRate() / 10, within(1e-12));
    assertThat(training.learningRateAt(13)).isCloseTo(training.learningRate() / 100, within(1e-12));
  }

  @Test
  void aRunWithoutAPrecisionTakesTheTrainersAndOneThatNamesItKeepsIt() {
    var left = RunParameters.from(submission(null, null, null, null, null), 100, Precision.AUTO);
    var named =
        RunParameters.from(
            new RunSubmission(
                null, null, null, 2, 67, null, null, null, 3L, 1_000, null, null, null, null, null,
                null, null, null, null, "bf16", null, null, null, null),
            100,
            Precision.FP32);

    assertThat(left.precision()).isEqualTo(Precision.AUTO);
    assertThat(left.training(DeviceChoice.CPU).precision()).isEqualTo(Precision.AUTO);
    assertThat(named.training(DeviceChoice.CPU).precision()).isEqualTo(Precision.BF16);
    assertThat(RunParameters.from(null, 100).precision()).isEqualTo(Precision.FP32);
  }
}
