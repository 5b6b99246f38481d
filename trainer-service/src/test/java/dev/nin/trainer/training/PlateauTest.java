package dev.nin.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's own early stop: patience epochs without a new best beyond the minimum gain. */
class PlateauTest {

  @Test
  void stopsOncePatienceEpochsPassWithoutANewBest() {
    var plateau = new Plateau(2, 0.0);

    assertThat(plateau.reached(List.of(0.80, 0.85))).isEmpty();
    assertThat(plateau.reached(List.of(0.80, 0.85, 0.84))).as("one epoch without").isEmpty();
    assertThat(plateau.reached(List.of(0.80, 0.85, 0.84, 0.85)))
        .as("equal is no gain")
        .hasValue("plateau: no test top-1 above 0.8500 (+0.0) for 2 epochs since epoch 1");
    assertThat(plateau.reached(List.of(0.80, 0.85, 0.84, 0.86))).isEmpty();
  }

  @Test
  void aGainBelowTheMinimumDeltaIsNoNewBest() {
    var plateau = new Plateau(2, 0.005);

    assertThat(plateau.reached(List.of(0.900, 0.903, 0.904))).isPresent();
    assertThat(plateau.reached(List.of(0.900, 0.906, 0.904))).isEmpty();
  }

  @Test
  void theConstantRateCurveOfIssue19ReachesItsPlateauWithPatienceTwoOnlyAtItsLastEpoch() {
    // the constant-rate curve issue 19 quotes (96 px, seed 1): best 0.9092 at epoch 7 (from 0)
    var curve =
        List.of(0.8326, 0.8723, 0.8783, 0.8855, 0.8869, 0.8927, 0.8931, 0.9092, 0.9075, 0.9075);
    var plateau = new Plateau(2, 0.0);

    assertThat(plateau.reached(curve.subList(0, 9))).isEmpty();
    assertThat(plateau.reached(curve)).isPresent();
    assertThat(new Plateau(1, 0.0).reached(curve.subList(0, 9))).as("patience 1").isPresent();
  }
}
