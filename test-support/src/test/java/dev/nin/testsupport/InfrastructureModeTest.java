package dev.nin.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructureModeTest {

  @Test
  void externalServicesWinWhenTheEnvironmentNamesBoth() {
    var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "DB_URL", "jdbc:postgresql://db/nin");
    assertThat(InfrastructureMode.detect(env, () -> true)).isEqualTo(InfrastructureMode.EXTERNAL);
  }

  @Test
  void oneExternalServiceAloneIsNotEnough() {
    var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092");
    assertThat(InfrastructureMode.detect(env, () -> false)).isEqualTo(InfrastructureMode.LOCAL);
  }

  @Test
  void dockerIsUsedWhenAnEngineAnswers() {
    assertThat(InfrastructureMode.detect(Map.of(), () -> true))
        .isEqualTo(InfrastructureMode.TESTCONTAINERS);
  }

  @Test
  void localProcessesWithoutDocker() {
    assertThat(InfrastructureMode.detect(Map.of(), () -> false))
        .isEqualTo(InfrastructureMode.LOCAL);
  }

  @Test
  void aModeCanBeForced() {
    assertThat(InfrastructureMode.detect(Map.of("NIN_TEST_INFRA", "local"), () -> true))
        .isEqualTo(InfrastructureMode.LOCAL);
  }
}
