package dev.nin.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TopicCensusTest {

  @Test
  void aCensusReadsBackFromTheLinesItPrints() {
    Map<Integer, TopicCensus.Epoch> census = new TreeMap<>();
    census.put(0, new TopicCensus.Epoch(6000, 47, 0, -8_123_456_789L, 1_764_000_000_000L));
    census.put(1, new TopicCensus.Epoch(5872, 46, 1, 42L, 1_764_000_060_000L));

    String lines = TopicCensus.toLines(census);

    assertThat(lines).startsWith("0 6000 47 0 -8123456789 1764000000000\n");
    assertThat(TopicCensus.fromLines(lines.lines().toList())).isEqualTo(census);
  }
}
