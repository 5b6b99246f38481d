package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplingPlanTest {

  private static LabeledImages tenOfEachClass() {
    byte[] labels = new byte[100];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) (i % 10);
    }
    return new LabeledImages(new byte[100 * LabeledImages.PIXELS], labels);
  }

  @Test
  void aStratifiedSubsetTakesEveryClassEqually() {
    var images = tenOfEachClass();

    int[] subset = SamplingPlan.stratifiedSubset(images, 30, 1, 10);

    assertThat(subset).hasSize(30).doesNotHaveDuplicates();
    assertThat(images.select(subset, 0, 30).classCounts(10)).containsOnly(3);
  }

  @Test
  void anUnevenLimitGivesTheFirstClassesOneMore() {
    int[] subset = SamplingPlan.stratifiedSubset(tenOfEachClass(), 23, 1, 10);
    assertThat(tenOfEachClass().select(subset, 0, 23).classCounts(10))
        .containsExactly(3, 3, 3, 2, 2, 2, 2, 2, 2, 2);
  }

  @Test
  void noLimitMeansEveryImageInFileOrder() {
    assertThat(SamplingPlan.stratifiedSubset(tenOfEachClass(), 0, 1, 10)).hasSize(100).isSorted();
  }

  @Test
  void anEpochsOrderIsAPermutationThatDependsOnSeedAndEpochOnly() {
    int[] subset = SamplingPlan.stratifiedSubset(tenOfEachClass(), 0, 1, 10);

    int[] epoch0 = SamplingPlan.epochOrder(subset, 42, 0);

    assertThat(epoch0).containsExactlyInAnyOrder(subset);
    assertThat(SamplingPlan.epochOrder(subset, 42, 0)).isEqualTo(epoch0);
    assertThat(SamplingPlan.epochOrder(subset, 42, 1)).isNotEqualTo(epoch0);
    assertThat(SamplingPlan.epochOrder(subset, 43, 0)).isNotEqualTo(epoch0);
    assertThat(Arrays.equals(epoch0, subset)).isFalse();
  }

  @Test
  void batchesCoverEveryImageOnce() {
    assertThat(SamplingPlan.batchCount(60_000, 128)).isEqualTo(469);
    assertThat(SamplingPlan.batchCount(256, 128)).isEqualTo(2);
  }
}
