package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassScoreTest {

  @Test
  void theTopClassesComeBestFirstWithTheirFashionMnistNames() {
    float[] probabilities = {0.05f, 0.1f, 0.02f, 0.03f, 0.5f, 0.0f, 0.2f, 0.04f, 0.06f, 0.0f};
    var top = ClassScore.top(probabilities, 3);
    assertThat(top).extracting(ClassScore::label).containsExactly(4, 6, 1);
    assertThat(top).extracting(ClassScore::name).containsExactly("Coat", "Shirt", "Trouser");
    assertThat(top.get(0).probability()).isEqualTo(0.5f);
  }

  @Test
  void tiesGoToTheLowerLabel() {
    float[] uniform = new float[10];
    java.util.Arrays.fill(uniform, 0.1f);
    assertThat(ClassScore.top(uniform, 10))
        .extracting(ClassScore::label)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }
}
