package dev.nin.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void theBrokersListenersGetDistinctPorts() throws Exception {
    // a broker whose client and controller listeners share a port refuses to start
    for (int i = 0; i < 500; i++) {
      int[] ports = FreePorts.onLoopback(3);
      assertThat(Arrays.stream(ports).distinct().count()).as(Arrays.toString(ports)).isEqualTo(3);
      assertThat(Arrays.stream(ports).min().orElseThrow()).isPositive();
    }
  }
}
