package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassRecallTest {

  @Test
  void aClassNoImageIsPredictedAsIsNeverPredictedWhateverItsRecall() {
    var recall = ClassRecall.empty(3);
    recall.add(0, new float[] {0.9f, 0.1f, 0f});
    recall.add(1, new float[] {0.8f, 0.2f, 0f}); // a class-1 image taken for class 0
    recall.add(2, new float[] {0.1f, 0.7f, 0.2f});

    assertThat(recall.recall(0)).isEqualTo(1.0);
    assertThat(recall.recall(1)).isEqualTo(0.0);
    assertThat(recall.predicted()).containsExactly(2, 1, 0);
    assertThat(recall.neverPredicted()).containsExactly(2);
    assertThat(recall.minRecall()).isEqualTo(0.0);
    assertThat(recall.describe()).endsWith("never predicted: 2 (Pullover)");
    // rows: the true class; columns: the class predicted
    assertThat(recall.confusion()).isDeepEqualTo(new long[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}});
  }

  @Test
  void aTiedTopIsNoPredictionSoACollapsedNetworkPredictsNothing() {
    var recall = ClassRecall.empty(3);
    recall.add(0, new float[] {0f, 0f, 0f});
    recall.add(1, new float[] {0f, 0f, 0f});

    assertThat(recall.hits()).containsOnly(0);
    assertThat(recall.neverPredicted()).containsExactly(0, 1, 2);
    assertThat(recall.confusion()).isDeepEqualTo(new long[3][3]);
  }
}
