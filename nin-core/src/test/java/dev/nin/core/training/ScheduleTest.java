package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void constantHoldsTheRateAndSpansNoSteps() {
    assertThat(Schedule.CONSTANT.decaySteps(4_690)).isZero();
    assertThat(Schedule.CONSTANT.factor(3_000, 4_690)).isEqualTo(1.0);
  }

  @Test
  void cosineFallsFromOneThroughAHalfToZeroOverItsSpan() {
    assertThat(Schedule.COSINE.decaySteps(4_690)).isEqualTo(4_690);
    assertThat(Schedule.COSINE.factor(0, 100)).isEqualTo(1.0);
    assertThat(Schedule.COSINE.factor(50, 100)).isCloseTo(0.5, within(1e-12));
    assertThat(Schedule.COSINE.factor(100, 100)).isCloseTo(0, within(1e-12));
    assertThat(Schedule.COSINE.factor(150, 100))
        .as("held at zero after")
        .isCloseTo(0, within(1e-12));
  }

  @Test
  void stepDividesByTenAtHalfAndAgainAtThreeQuartersOfTheRun() {
    // 10 epochs of 469 batches: the milestones fall in epochs 5 and 7.5, as the run's length moves
    long run = 4_690;
    assertThat(Schedule.STEP.decaySteps(run)).isEqualTo(run);
    assertThat(Schedule.STEP.factor(0, run)).isEqualTo(1.0);
    assertThat(Schedule.STEP.factor(2_344, run)).isEqualTo(1.0);
    assertThat(Schedule.STEP.factor(2_345, run)).isCloseTo(0.1, within(1e-15));
    assertThat(Schedule.STEP.factor(3_516, run)).isCloseTo(0.1, within(1e-15));
    assertThat(Schedule.STEP.factor(3_517, run)).isCloseTo(0.01, within(1e-15));
    assertThat(Schedule.STEP.factor(9_999, run)).isCloseTo(0.01, within(1e-15));
    assertThat(Schedule.STEP.factor(9_999, 0)).as("spanning nothing: no decay").isEqualTo(1.0);
  }

  @Test
  void parsesTheApisWordsInAnyCaseAndNamesTheChoicesOtherwise() {
    assertThat(Schedule.parse("Step")).isEqualTo(Schedule.STEP);
    assertThat(Schedule.STEP.id()).isEqualTo("step");
    assertThatThrownBy(() -> Schedule.parse("linear"))
        .hasMessage("schedule must be constant, cosine or step, was 'linear'");
  }
}
