package dev.nin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

  /** The table printed by the seed chapter's paddle.summary(NiN, (1, 1, 224, 224)), verbatim. */
  private static List<String> seedTable() throws IOException {
    try (var in = ModelSummaryTest.class.getResourceAsStream("/seed-summary-224.txt")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .toList();
    }
  }

  @Test
  void printsTheSeedsSummaryTableLineByLineAt224() throws IOException {
    List<String> expected = seedTable();
    List<String> actual = ModelSummary.of(NinConfig.chapter()).paddleTable().lines().toList();

    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("line %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  @Test
  void countsTheSeedsParametersAndComputation() {
    var summary = ModelSummary.of(NinConfig.chapter());

    assertThat(summary.totalParams()).isEqualTo(1_992_166);
    assertThat(summary.multiplyAddsPerImage()).isBetween(762_200_000L, 762_400_000L);
    long block2 =
        summary.layers().stream()
            .filter(l -> List.of("Conv2D-4", "Conv2D-5", "Conv2D-6").contains(l.name()))
            .mapToLong(LayerShape::multiplyAdds)
            .sum();
    assertThat((double) block2 / summary.multiplyAddsPerImage()).isBetween(0.655, 0.665);
    assertThat(summary.flopsPerImage()).isEqualTo(2 * summary.multiplyAddsPerImage());
  }

  @Test
  void estimatesMemoryForTrainingAndPrediction() {
    var summary = ModelSummary.of(NinConfig.chapter());

    // 4 x 7.6 MB of weights, gradients and Adam moments + 128 x (24.2 + 0.19) MB of activations
    assertThat(summary.trainingMegabytes(128)).isBetween(3_150.0, 3_160.0);
    // weights (7.6 MB) + the largest input-and-output pair: a 96x54x54 ReLU in and out (2.1 MB)
    assertThat(summary.predictionMegabytes()).isBetween(9.7, 9.8);
  }

  @Test
  void oneOneByOneConvPerBlockIsTheChaptersSecondExercise() {
    var one = ModelSummary.of(NinConfig.chapter().withOneByOneConvs(1));

    assertThat(one.layers()).filteredOn(l -> l.kind().equals("Conv2D")).hasSize(8);
    assertThat(one.totalParams()).isEqualTo(1_992_166 - 9_312 - 65_792 - 147_840 - 110);
  }

  @Test
  void theSmallestInputIs67Pixels() {
    assertThat(ShapeWalk.smallestInput(NinConfig.chapter().architecture())).isEqualTo(67);
    assertThat(NinConfig.chapter().withResize(67).resize()).isEqualTo(67);
    assertThat(ModelSummary.of(NinConfig.chapter().withResize(67)).layers().get(20).outputShape())
        .containsExactly(1, 384, 1, 1);
  }

  @Test
  void refuses66PixelsNamingTheLimit() {
    assertThatThrownBy(() -> NinConfig.chapter().withResize(66))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 67 px")
        .hasMessageContaining("was 66");
  }
}
