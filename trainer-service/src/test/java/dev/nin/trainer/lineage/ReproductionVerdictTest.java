package dev.nin.trainer.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.model.NinConfig;
import dev.nin.core.training.Batch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.TrainingConfig;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReproductionVerdictTest {

  private static final UUID ORIGINAL = UUID.randomUUID();
  private static final NinConfig SMALL = NinConfig.chapter().withResize(67).withSeed(3);

  @Test
  void equalDigestsAreIdenticalWithNoDifference() {
    var original = new ReproductionVerdict.OriginalEpoch(7, "abc", 0.80, 0.5, new byte[0]);

    var verdict =
        ReproductionVerdict.judge(ORIGINAL, Optional.of(original), "abc", () -> null, 0.80, 0.5);

    assertThat(verdict.verdict()).isEqualTo("identical");
    assertThat(verdict.originalCheckpointId()).isEqualTo(7);
    assertThat(verdict.maxAbsWeightDiff()).isZero();
    assertThat(verdict.testTop1Delta()).isZero();
  }

  @Test
  void otherWeightsDifferByTheirLargestAbsoluteDifferenceAndTheMetricDeltas() {
    try (var trainer = NinTrainer.create(SMALL, TrainingConfig.chapter());
        var other = NinTrainer.create(SMALL.withSeed(4), TrainingConfig.chapter())) {
      trainer.trainStep(batch());
      other.trainStep(batch());
      var original =
          new ReproductionVerdict.OriginalEpoch(
              7, trainer.weightsDigest(), 0.80, 0.50, trainer.state().toZip());

      var verdict =
          ReproductionVerdict.judge(
              ORIGINAL,
              Optional.of(original),
              other.weightsDigest(),
              other::parameters,
              0.75,
              0.60);

      assertThat(verdict.verdict()).isEqualTo("differs");
      assertThat(verdict.maxAbsWeightDiff()).isPositive();
      assertThat(verdict.testTop1Delta())
          .isCloseTo(-0.05, org.assertj.core.api.Assertions.within(1e-12));
      assertThat(verdict.testLossDelta())
          .isCloseTo(0.10, org.assertj.core.api.Assertions.within(1e-12));
    }
  }

  @Test
  void withoutTheOriginalsEpochThereIsNothingToCompare() {
    var verdict =
        ReproductionVerdict.judge(ORIGINAL, Optional.empty(), "abc", () -> null, 0.8, 0.5);

    assertThat(verdict.verdict()).isEqualTo("no-original");
    assertThat(verdict.originalRunId()).isEqualTo(ORIGINAL);
  }

  private static Batch batch() {
    byte[] pixels = new byte[16 * 28 * 28];
    byte[] labels = new byte[16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) (i % 10);
    }
    return new Batch(pixels, labels);
  }
}
