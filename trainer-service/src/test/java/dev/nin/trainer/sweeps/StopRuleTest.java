package dev.nin.trainer.sweeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rung rules: who continues at a rung, judged against the trials that reached it before. */
class StopRuleTest {

  @Test
  void theFirstTrialAtARungAlwaysContinues() {
    for (var rule : StopRule.values()) {
      assertThat(rule.stops(0.0, List.of(), 3)).as(rule.id()).isFalse();
    }
  }

  @Test
  void ashaKeepsOnlyTheTopThirdOfTheEarlierTrialsWithEtaThree() {
    var earlier = List.of(0.50, 0.60, 0.70, 0.80);
    // the 2/3 quantile of 0.5 0.6 0.7 0.8, interpolated as NumPy does: 0.7 (position 2 of 0..3)
    assertThat(StopRule.ASHA.cutoff(earlier, 3).getAsDouble()).isCloseTo(0.70, within(1e-12));
    assertThat(StopRule.ASHA.stops(0.69, earlier, 3)).isTrue();
    assertThat(StopRule.ASHA.stops(0.70, earlier, 3)).as("at the cutoff continues").isFalse();
    assertThat(StopRule.ASHA.stops(0.95, earlier, 3)).isFalse();
    // eta 2 halves: the median 0.65
    assertThat(StopRule.ASHA.cutoff(earlier, 2).getAsDouble()).isCloseTo(0.65, within(1e-12));
  }

  @Test
  void againstOneEarlierTrialAshaStopsOnlyATrialBelowIt() {
    assertThat(StopRule.ASHA.stops(0.79, List.of(0.80), 3)).isTrue();
    assertThat(StopRule.ASHA.stops(0.81, List.of(0.80), 3)).isFalse();
  }

  @Test
  void theMedianRuleStopsBelowTheMedianOfTheEarlierTrials() {
    var earlier = List.of(0.9, 0.1, 0.5);
    assertThat(StopRule.MEDIAN.cutoff(earlier, 3).getAsDouble()).isEqualTo(0.5);
    assertThat(StopRule.MEDIAN.stops(0.49, earlier, 3)).isTrue();
    assertThat(StopRule.MEDIAN.stops(0.51, earlier, 3)).isFalse();
  }

  @Test
  void noneNeverStopsAndUnknownRulesAreRefusedByName() {
    assertThat(StopRule.NONE.stops(0.0, List.of(0.9, 0.9), 3)).isFalse();
    assertThat(StopRule.parse("asha")).isEqualTo(StopRule.ASHA);
    assertThatThrownBy(() -> StopRule.parse("hyperband"))
        .hasMessageContaining("unknown early-stopping rule 'hyperband'");
  }
}
