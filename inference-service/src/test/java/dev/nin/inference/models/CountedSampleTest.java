package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountedSampleTest {

  @Test
  void aHalfTakesEverySecondEventStartingWithTheSecond() {
    assertThat(taken(new CountedSample(0.5), 8)).containsExactly(2, 4, 6, 8);
  }

  @Test
  void tenPercentOfAThousandIsExactlyAHundredEvenlySpread() {
    List<Integer> taken = taken(new CountedSample(0.1), 1000);
    assertThat(taken).hasSize(100).startsWith(10, 20, 30).endsWith(1000);
  }

  @Test
  void ratesThatAreNotExactInBinaryStillCountExactly() {
    assertThat(taken(new CountedSample(0.29), 100)).hasSize(29).endsWith(100);
    assertThat(taken(new CountedSample(0.07), 100)).hasSize(7).endsWith(100);
  }

  @Test
  void zeroTakesNothingAndOneTakesEverything() {
    assertThat(taken(new CountedSample(0), 50)).isEmpty();
    assertThat(taken(new CountedSample(1), 50)).hasSize(50);
  }

  @Test
  void aRateOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new CountedSample(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CountedSample(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CountedSample(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theP99OfATrialsLatenciesIsTheSlowestButOneOfAHundred() {
    var sample = new PromotionTrial.LatencySample(1000);
    assertThat(sample.p99Millis()).isNull();
    for (int i = 1; i <= 100; i++) {
      sample.add(i * 1_000_000L);
    }
    assertThat(sample.p99Millis()).isEqualTo(99.0);
  }

  private static List<Integer> taken(CountedSample sample, int events) {
    List<Integer> taken = new ArrayList<>();
    for (int n = 1; n <= events; n++) {
      if (sample.next()) {
        taken.add(n);
      }
    }
    return taken;
  }
}
