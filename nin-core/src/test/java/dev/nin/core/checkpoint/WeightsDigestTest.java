package dev.nin.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightsDigestTest {

  private static final NamedTensor KERNEL =
      new NamedTensor("block1/conv0/kernel", new long[] {2, 2}, new float[] {1f, -2f, 0.5f, 3f});
  private static final NamedTensor BIAS =
      new NamedTensor("block1/conv0/bias", new long[] {2}, new float[] {0f, 10f});

  @Test
  void dependsOnTheWeightsNotOnTheOrderTheyAreListedIn() {
    assertThat(WeightsDigest.of(List.of(KERNEL, BIAS)))
        .isEqualTo(WeightsDigest.of(List.of(BIAS, KERNEL)))
        .hasSize(64);
  }

  @Test
  void oneBitOfOneWeightChangesIt() {
    float[] values = KERNEL.values().clone();
    values[3] = Math.nextUp(values[3]);
    var nudged = new NamedTensor(KERNEL.name(), KERNEL.shape(), values);

    assertThat(WeightsDigest.of(List.of(nudged, BIAS)))
        .isNotEqualTo(WeightsDigest.of(List.of(KERNEL, BIAS)));
  }

  @Test
  void aNameOrAShapeIsPartOfWhatItCovers() {
    var renamed = new NamedTensor("block1/conv1/kernel", KERNEL.shape(), KERNEL.values());
    var reshaped = new NamedTensor(KERNEL.name(), new long[] {4}, KERNEL.values());
    String original = WeightsDigest.of(List.of(KERNEL));

    assertThat(WeightsDigest.of(List.of(renamed))).isNotEqualTo(original);
    assertThat(WeightsDigest.of(List.of(reshaped))).isNotEqualTo(original);
  }

  @Test
  void signedZerosAreDifferentBits() {
    var plus = new NamedTensor("b", new long[] {1}, new float[] {0f});
    var minus = new NamedTensor("b", new long[] {1}, new float[] {-0f});

    assertThat(WeightsDigest.of(List.of(plus))).isNotEqualTo(WeightsDigest.of(List.of(minus)));
  }

  @Test
  void theLargestDifferenceIsTakenOverEveryTensor() {
    var otherBias = new NamedTensor(BIAS.name(), BIAS.shape(), new float[] {0f, 10.25f});

    assertThat(WeightsDigest.maxAbsDifference(List.of(KERNEL, BIAS), List.of(BIAS, KERNEL)))
        .isZero();
    assertThat(WeightsDigest.maxAbsDifference(List.of(KERNEL, BIAS), List.of(otherBias, KERNEL)))
        .isEqualTo(0.25);
  }

  @Test
  void twoDifferentNetworksHaveNoDifferenceToSpeakOf() {
    assertThatThrownBy(() -> WeightsDigest.maxAbsDifference(List.of(KERNEL), List.of(BIAS)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
