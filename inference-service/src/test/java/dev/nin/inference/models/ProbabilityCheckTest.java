package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A model is only swapped in when its warm-up outputs are real probability rows. */
class ProbabilityCheckTest {

  private static float[] row(float first) {
    float[] row = new float[10];
    row[0] = first;
    for (int i = 1; i < 10; i++) {
      row[i] = (1 - first) / 9;
    }
    return row;
  }

  @Test
  void finiteRowsThatSumToOneAreAccepted() {
    assertThatCode(() -> ModelLoader.checkProbabilities(new float[][] {row(0.9f), row(0.1f)}, 2))
        .doesNotThrowAnyException();
  }

  @Test
  void nanNegativeOrNotSummingToOneIsRejected() {
    float[] nan = row(0.5f);
    nan[3] = Float.NaN;
    float[] negative = row(0.5f);
    negative[3] = -0.01f;
    float[] logits = {3f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f};
    for (float[] bad : new float[][] {nan, negative, logits}) {
      assertThatThrownBy(() -> ModelLoader.checkProbabilities(new float[][] {bad}, 1))
          .isInstanceOf(CheckpointRejectedException.class)
          .extracting(e -> ((CheckpointRejectedException) e).stage())
          .isEqualTo(CheckpointRejectedException.Stage.OUTPUT);
    }
  }

  @Test
  void theWrongShapeIsRejected() {
    assertThatThrownBy(() -> ModelLoader.checkProbabilities(new float[][] {new float[7]}, 1))
        .hasMessageContaining("expected 10 probabilities a row, got 7");
    assertThatThrownBy(() -> ModelLoader.checkProbabilities(new float[][] {row(1f)}, 2))
        .hasMessageContaining("expected 2 rows");
  }
}
