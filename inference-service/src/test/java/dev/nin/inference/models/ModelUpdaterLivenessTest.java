package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The updater is alive while its polls keep ending; a slow load is not taken for a hang. */
class ModelUpdaterLivenessTest {

  @Test
  void theLimitIsSixPollIntervalsAndNeverUnderTwoMinutes() {
    assertThat(ModelUpdaterLiveness.limit(Duration.ofSeconds(10))).isEqualTo(Duration.ofMinutes(2));
    assertThat(ModelUpdaterLiveness.limit(Duration.ofSeconds(1))).isEqualTo(Duration.ofMinutes(2));
    assertThat(ModelUpdaterLiveness.limit(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void aLoopWhoseLastPollEndedLongerAgoThanTheLimitIsDown() {
    var limit = Duration.ofMinutes(2);
    assertThat(ModelUpdaterLiveness.alive(Duration.ofSeconds(3), limit)).isTrue();
    assertThat(ModelUpdaterLiveness.alive(limit, limit)).isTrue();
    assertThat(ModelUpdaterLiveness.alive(limit.plusSeconds(1), limit)).isFalse();
  }
}
