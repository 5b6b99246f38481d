package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.checkpoint.WeightsDigest;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.SavedModelPredictor;
import dev.nin.core.model.NinConfig;
import dev.nin.core.model.WeightInit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mechanics of training at the smallest input (67 px) on synthetic data: fast, exact. */
class NinTrainerTest {

  private static final NinConfig SMALL = NinConfig.chapter().withResize(67).withSeed(7);

  @Test
  void oneAdamStepMovesEveryParameterSoEveryParameterHasAGradient() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      TrainingState before = trainer.state();

      var result = trainer.trainStep(SyntheticBatches.batch(16, 1));

      assertThat(result.step()).isEqualTo(1);
      assertThat(result.loss()).isFinite().isPositive();
      TrainingState after = trainer.state();
      assertThat(trainer.parameterCount()).isEqualTo(1_992_166);
      List<String> unchanged =
          after.tensors().stream()
              .filter(t -> !t.name().contains("adam"))
              .filter(t -> Arrays.equals(t.values(), before.tensor(t.name()).values()))
              .map(NamedTensor::name)
              .toList();
      assertThat(unchanged).as("parameters without a gradient").isEmpty();
      assertThat(after.tensors()).hasSize(3 * 24); // 12 convs x (kernel, bias) x (w, m, v)
    }
  }

  @Test
  void theDefaultInitOpensEveryClassChannelSoEveryClassLearnsFromTheFirstStep() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      assertThat(tensor(trainer, "block4/conv2/bias"))
          .hasSize(10)
          .containsOnly(WeightInitializer.OPEN_CLASSIFIER_BIAS);
      assertThat(tensor(trainer, "block4/conv1/bias")).containsOnly(0f);

      trainer.trainStep(SyntheticBatches.batch(16, 4));

      // a class channel closed on every image of the batch would get no gradient: bias unmoved
      float[] bias = tensor(trainer, "block4/conv2/bias");
      for (int classIndex = 0; classIndex < 10; classIndex++) {
        assertThat(bias[classIndex])
            .as("class %d's classifier bias", classIndex)
            .isNotEqualTo(WeightInitializer.OPEN_CLASSIFIER_BIAS);
      }
    }
  }

  @Test
  void plainGlorotUniformStartsEveryBiasAtZero() {
    try (var trainer =
        NinTrainer.create(SMALL.withInit(WeightInit.GLOROT_UNIFORM), TrainingConfig.chapter())) {
      List<String> nonZeroBiases =
          trainer.parameters().stream()
              .filter(t -> t.name().endsWith("/bias"))
              .filter(t -> !Arrays.equals(t.values(), new float[t.values().length]))
              .map(NamedTensor::name)
              .toList();
      assertThat(nonZeroBiases).isEmpty();
    }
  }

  @Test
  void theLearningRateWarmsUpLinearlyFromTheGlobalStep() {
    // Adam's first update is lr · m̂/(√v̂ + ε) = lr · sign(g): its largest move is the step's rate
    var warm = TrainingConfig.chapter().withWarmupSteps(10);
    try (var trainer = NinTrainer.create(SMALL, warm)) {
      var start = trainer.state();
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      assertThat(largestMove(start, trainer.state())).isCloseTo(0.0001, within(1e-6));
    }
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter().withWarmupSteps(0))) {
      var start = trainer.state();
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      assertThat(largestMove(start, trainer.state())).isCloseTo(0.001, within(1e-5));
    }
    assertThat(warm.learningRateAt(1)).isCloseTo(0.0001, within(1e-12));
    assertThat(warm.learningRateAt(5)).isCloseTo(0.0005, within(1e-12));
    assertThat(warm.learningRateAt(10)).isEqualTo(0.001);
    assertThat(warm.learningRateAt(11)).isEqualTo(0.001);
  }

  @Test
  void theLearningRateDecaysAlongAHalfCosineToZeroAtTheRunsEnd() {
    // over one step: step 1 trains at the full rate, step 2 at cos(π) → 0 and moves nothing
    try (var trainer =
        NinTrainer.create(SMALL, TrainingConfig.chapter().withSchedule(Schedule.COSINE, 1))) {
      var start = trainer.state();
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      var afterFirst = trainer.state();
      assertThat(largestMove(start, afterFirst)).isCloseTo(0.001, within(1e-5));
      trainer.trainStep(SyntheticBatches.batch(16, 2));
      assertThat(largestMove(afterFirst, trainer.state())).isZero();
    }
    var decaying = TrainingConfig.chapter().withSchedule(Schedule.COSINE, 10);
    assertThat(decaying.learningRateAt(1)).isEqualTo(0.001);
    assertThat(decaying.learningRateAt(6)).isCloseTo(0.0005, within(1e-12));
    assertThat(decaying.learningRateAt(11)).isCloseTo(0, within(1e-12));
    assertThat(decaying.withWarmupSteps(10).learningRateAt(6)).isCloseTo(0.0003, within(1e-12));
    assertThatThrownBy(() -> TrainingConfig.chapter().withSchedule(Schedule.COSINE, -1))
        .hasMessageContaining("decaySteps");
  }

  @Test
  void theStepScheduleDividesTheRateByTenAtHalfAndAgainAtThreeQuartersOfTheRun() {
    // the graph's milestones: over two steps the first trains at the full rate; over one step
    // both milestones are at the global step 0, so the first already trains at a hundredth
    for (long span : new long[] {2, 1}) {
      var config = TrainingConfig.chapter().withSchedule(Schedule.STEP, span);
      try (var trainer = NinTrainer.create(SMALL, config)) {
        var start = trainer.state();
        trainer.trainStep(SyntheticBatches.batch(16, 1));
        assertThat(largestMove(start, trainer.state()))
            .as("the first step's move over a span of %d", span)
            .isCloseTo(config.learningRateAt(1), within(config.learningRateAt(1) / 100));
      }
    }
    var stepped = TrainingConfig.chapter().withSchedule(Schedule.STEP, 100);
    assertThat(stepped.learningRateAt(1)).isEqualTo(0.001);
    assertThat(stepped.learningRateAt(50)).as("global step 49").isEqualTo(0.001);
    assertThat(stepped.learningRateAt(51)).as("global step 50").isCloseTo(1e-4, within(1e-12));
    assertThat(stepped.learningRateAt(75)).isCloseTo(1e-4, within(1e-12));
    assertThat(stepped.learningRateAt(76)).as("global step 75").isCloseTo(1e-5, within(1e-12));
    assertThat(stepped.learningRateAt(500)).as("after the run").isCloseTo(1e-5, within(1e-12));
  }

  @Test
  void decoupledWeightDecayShrinksEachKernelByTheRateTimesLambdaAndLeavesBiasesAndTheStepAlone() {
    // the same start and batch with and without decay: Adam's update comes from the gradients of
    // the start weights in both, so the two differ by exactly lr · λ · w(start) on every kernel
    double lambda = 0.5;
    var start = new java.util.HashMap<String, float[]>();
    var plain = new java.util.HashMap<String, float[]>();
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      trainer.parameters().forEach(t -> start.put(t.name(), t.values()));
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      trainer.parameters().forEach(t -> plain.put(t.name(), t.values()));
    }
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter().withWeightDecay(lambda))) {
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      int kernels = 0;
      for (NamedTensor t : trainer.parameters()) {
        float[] decayed = t.values();
        float[] w = start.get(t.name());
        float[] p = plain.get(t.name());
        boolean kernel = t.name().endsWith("/kernel");
        kernels += kernel ? 1 : 0;
        for (int i = 0; i < decayed.length; i += 97) {
          double expected = kernel ? p[i] - 0.001 * lambda * w[i] : p[i];
          assertThat((double) decayed[i])
              .as(t.name() + "[" + i + "]")
              .isCloseTo(expected, within(2e-7));
        }
      }
      assertThat(kernels).as("NiN's convolutions").isEqualTo(12);
    }
    assertThatThrownBy(() -> TrainingConfig.chapter().withWeightDecay(1))
        .hasMessageContaining("weightDecay");
  }

  @Test
  void averagedWeightsAreWhatEvaluationAndExportUseWhileTrainingContinuesFromItsOwn() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter().withAverageDecay(0.99))) {
      var start = tensor(trainer, "block4/conv2/kernel");
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      var trained = trainer.state().tensor("block4/conv2/kernel").values();
      // step 0 decays by min(0.99, 1/10): the average moves 90 % of the way to the weights
      var averaged = tensor(trainer, "block4/conv2/kernel");
      for (int i = 0; i < 50; i++) {
        assertThat(averaged[i]).isCloseTo(0.1f * start[i] + 0.9f * trained[i], within(1e-6f));
      }
      assertThat(averaged).isNotEqualTo(trained);

      trainer.evaluate(List.of(SyntheticBatches.batch(16, 2)).iterator());
      assertThat(trainer.state().tensor("block4/conv2/kernel").values())
          .as("evaluating with the average leaves the trained weights as they were")
          .isEqualTo(trained);
      assertThat(trainer.state().tensors())
          .extracting(NamedTensor::name)
          .contains("block4/conv2/kernel/average");
    }
  }

  @Test
  void aStateSavedWithoutAveragingResumesWithEachAverageStartingAtItsParameter() {
    TrainingState plain;
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      plain = trainer.state();
    }
    try (var averaging =
        NinTrainer.create(SMALL, TrainingConfig.chapter().withAverageDecay(0.99))) {
      averaging.restore(plain);
      assertThat(averaging.step()).isEqualTo(1);
      assertThat(tensor(averaging, "block4/conv2/kernel"))
          .isEqualTo(plain.tensor("block4/conv2/kernel").values());
    }
  }

  @Test
  void theRecipesAreTheMeasuredDefaultAndTheChapterAsPrinted() {
    assertThat(Recipe.DEFAULT.init()).isEqualTo(WeightInit.GLOROT_UNIFORM_LIVE_CLASSIFIER);
    assertThat(Recipe.DEFAULT.warmupSteps()).isEqualTo(200);
    assertThat(Recipe.DEFAULT.averageDecay()).isEqualTo(0.99);
    assertThat(Recipe.DEFAULT.labelSmoothing()).isEqualTo(0.1);
    assertThat(Recipe.CHAPTER.init()).isEqualTo(WeightInit.GLOROT_UNIFORM);
    assertThat(Recipe.CHAPTER.warmupSteps()).isZero();
    assertThat(Recipe.CHAPTER.averageDecay()).isZero();
    assertThat(Recipe.CHAPTER.labelSmoothing()).isZero();
    assertThat(TrainingConfig.chapter().warmupSteps()).isZero();
    assertThat(Recipe.parse("Chapter")).isEqualTo(Recipe.CHAPTER);
    assertThatThrownBy(() -> Recipe.parse("fast")).hasMessageContaining("default or chapter");
  }

  @Test
  void anEvaluationCountsEachClassWithTheSameForwardPassAsTopOne() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      for (int i = 0; i < 3; i++) {
        trainer.trainStep(SyntheticBatches.batch(32, i));
      }
      var batches = List.of(SyntheticBatches.batch(50, 100), SyntheticBatches.batch(50, 101));

      var evaluation = trainer.evaluate(batches.iterator());

      var classes = evaluation.classes();
      assertThat(Arrays.stream(classes.images()).sum()).isEqualTo(100);
      long hits = Arrays.stream(classes.hits()).sum();
      assertThat((double) hits / 100).isEqualTo(evaluation.top1());
      // what the classes were predicted as, recomputed from the probabilities
      long[] predicted = new long[10];
      for (var batch : batches) {
        for (float[] row : trainer.predict(batch)) {
          int best = 0;
          for (int c = 1; c < 10; c++) {
            best = row[c] > row[best] ? c : best;
          }
          float top = row[best];
          if (IntStream.range(0, 10).filter(c -> row[c] == top).count() == 1) {
            predicted[best]++; // a tie is no prediction
          }
        }
      }
      assertThat(classes.predicted()).containsExactly(predicted);
      for (int c : classes.neverPredicted()) {
        assertThat(predicted[c]).isZero();
      }
    }
  }

  private static double largestMove(TrainingState before, TrainingState after) {
    double max = 0;
    for (NamedTensor t : after.tensors()) {
      if (t.name().contains("adam")) {
        continue;
      }
      float[] old = before.tensor(t.name()).values();
      for (int i = 0; i < old.length; i++) {
        max = Math.max(max, Math.abs(t.values()[i] - old[i]));
      }
    }
    return max;
  }

  private static float[] tensor(NinTrainer trainer, String name) {
    return trainer.parameters().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow()
        .values();
  }

  @Test
  void aRestoredTrainerContinuesExactlyAsAnUninterruptedOne() {
    var next = SyntheticBatches.batch(16, 99);
    byte[] saved;
    double uninterruptedLoss;
    TrainingState uninterruptedAfter;
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      for (int i = 0; i < 3; i++) {
        trainer.trainStep(SyntheticBatches.batch(16, i));
      }
      saved = trainer.state().toZip();
      uninterruptedLoss = trainer.trainStep(next).loss();
      uninterruptedAfter = trainer.state();
    }

    try (var resumed = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      resumed.trainStep(SyntheticBatches.batch(16, 42)); // wander off first
      resumed.restore(TrainingState.fromZip(saved));

      var result = resumed.trainStep(next);

      assertThat(result.step()).isEqualTo(4);
      assertThat(result.loss()).isCloseTo(uninterruptedLoss, within(1e-6));
      assertThat(maxAbsDifference(resumed.state(), uninterruptedAfter)).isLessThan(1e-6);
    }
  }

  @Test
  void theSameBatchesGiveTheSameWeightsBitForBitAndAnotherSeedOtherWeights() {
    String first;
    String resumed;
    String otherSeed;
    byte[] saved;
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      trainer.trainStep(SyntheticBatches.batch(16, 0));
      saved = trainer.state().toZip();
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      first = trainer.weightsDigest();
    }
    try (var again = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      again.restore(TrainingState.fromZip(saved));
      again.trainStep(SyntheticBatches.batch(16, 1));
      resumed = again.weightsDigest();
    }
    try (var other = NinTrainer.create(SMALL.withSeed(8), TrainingConfig.chapter())) {
      other.trainStep(SyntheticBatches.batch(16, 0));
      other.trainStep(SyntheticBatches.batch(16, 1));
      otherSeed = other.weightsDigest();
    }

    assertThat(resumed).as("restored and stepped in another trainer").isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void theServedWeightsOfASavedStateAreWhatTheTrainerExports() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter().withAverageDecay(0.99))) {
      trainer.trainStep(SyntheticBatches.batch(16, 1));
      var served = NinTrainer.servedWeights(TrainingState.fromZip(trainer.state().toZip()));

      assertThat(served).isEqualTo(trainer.parameters());
      assertThat(WeightsDigest.of(served)).isEqualTo(trainer.weightsDigest());
      assertThat(served).extracting(NamedTensor::name).noneMatch(n -> n.contains("adam"));
    }
  }

  /** The largest difference between two states' values (assertj's element diff is quadratic). */
  private static double maxAbsDifference(TrainingState a, TrainingState b) {
    double max = 0;
    for (NamedTensor t : a.tensors()) {
      float[] other = b.tensor(t.name()).values();
      for (int i = 0; i < other.length; i++) {
        max = Math.max(max, Math.abs(t.values()[i] - other[i]));
      }
    }
    return max;
  }

  @Test
  void aStateSerialisesToBytesAndBackWithAStableSha256() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      trainer.trainStep(SyntheticBatches.batch(8, 3));
      byte[] zip = trainer.state().toZip();

      TrainingState read = TrainingState.fromZip(zip);

      assertThat(read.step()).isEqualTo(1);
      assertThat(read.tensors()).isEqualTo(trainer.state().tensors());
      assertThat(Sha256.hex(read.toZip())).isEqualTo(Sha256.hex(zip)).hasSize(64);
    }
  }

  @Test
  void refusesAStateOfAnotherModel() {
    byte[] otherModel;
    try (var trainer = NinTrainer.create(SMALL.withResize(96), TrainingConfig.chapter())) {
      otherModel = trainer.state().toZip();
    }
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      assertThatThrownBy(() -> trainer.restore(TrainingState.fromZip(otherModel)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another model");
    }
  }

  @Test
  void sgdTrainsToo() {
    var batch = SyntheticBatches.batch(16, 5);
    try (var trainer =
        NinTrainer.create(
            SMALL.withDropout(0),
            TrainingConfig.chapter().withOptimizer(Optimizer.SGD).withLearningRate(0.05))) {
      double first = trainer.trainStep(batch).loss();
      double later = first;
      for (int i = 0; i < 5; i++) {
        later = trainer.trainStep(batch).loss();
      }
      assertThat(later).isLessThan(first);
    }
  }

  @Test
  void anExportedSavedModelLoadedByDjlGivesTheTrainersProbabilities(@TempDir Path dir)
      throws Exception {
    var images = SyntheticBatches.batch(8, 11);
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter())) {
      for (int i = 0; i < 2; i++) {
        trainer.trainStep(SyntheticBatches.batch(16, 20 + i));
      }
      float[][] expected = trainer.predict(images);
      SavedModelExport.write(SMALL, trainer.parameters(), dir.resolve("model"));

      try (var served = SavedModelPredictor.load(dir.resolve("model"), 10)) {
        float[][] actual = served.predict(images.pixels(), images.size());
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).containsExactly(expected[i], within(1e-5f));
        }
      }
    }
  }

  /**
   * One export, two signatures over the same weights: {@code serving_bf16} answers what a bf16
   * trainer with those weights answers, close to but not bit-equal with the float32 signature.
   */
  @Test
  void theExportsBf16SignatureServesTheSameWeightsInBfloat16(@TempDir Path dir) throws Exception {
    var images = SyntheticBatches.batch(8, 11);
    try (var fp32 = NinTrainer.create(SMALL, TrainingConfig.chapter());
        var bf16 =
            NinTrainer.create(SMALL, TrainingConfig.chapter().withPrecision(Precision.BF16))) {
      fp32.trainStep(SyntheticBatches.batch(16, 20));
      bf16.restore(fp32.state());
      SavedModelExport.write(SMALL, fp32.parameters(), dir.resolve("model"));

      assertThat(SavedModelPredictor.signatures(dir.resolve("model")))
          .containsExactlyInAnyOrder(SavedModelExport.SIGNATURE, SavedModelExport.SIGNATURE_BF16);
      float[][] expected = bf16.predict(images);
      float[][] float32 = fp32.predict(images);
      try (var served = SavedModelPredictor.load(dir.resolve("model"), 10, true)) {
        assertThat(served.bfloat16()).isTrue();
        float[][] actual = served.predict(images.pixels(), images.size());
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).containsExactly(expected[i], within(1e-5f));
          assertThat(actual[i]).containsExactly(float32[i], within(0.02f));
        }
        assertThat(actual).as("computed in bfloat16").isNotEqualTo(float32);
      }
    }
  }
}
