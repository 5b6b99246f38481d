package dev.nin.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.system.chaos.ImageAccounting.Applied;
import dev.nin.tools.chaos.TopicCensus.Epoch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageAccountingTest {

  private static final Map<Integer, Epoch> TWO_EPOCHS =
      Map.of(0, new Epoch(6000, 47, 0, 11L, 1L), 1, new Epoch(6000, 47, 0, 22L, 2L));

  @Test
  void everyBatchAppliedOnceIsExact() {
    var accounting =
        ImageAccounting.of(
            TWO_EPOCHS, Map.of(0, new Applied(11L, 6000), 1, new Applied(22L, 6000)), 2, 6000);

    assertThat(accounting.exact()).isTrue();
    assertThat(accounting.findings()).isEmpty();
  }

  @Test
  void aBatchLostAndAnotherRepeatedKeepTheCountButNotTheDigest() {
    var accounting =
        ImageAccounting.of(
            TWO_EPOCHS, Map.of(0, new Applied(99L, 6000), 1, new Applied(22L, 6000)), 2, 6000);

    assertThat(accounting.exact()).isFalse();
    assertThat(accounting.mismatched()).isEqualTo(1);
    assertThat(accounting.findings()).singleElement().asString().contains("epoch 0");
  }

  @Test
  void imagesTheTrainerNeverAppliedAreLost() {
    var accounting = ImageAccounting.of(TWO_EPOCHS, Map.of(0, new Applied(11L, 6000)), 2, 6000);

    assertThat(accounting.lost()).isEqualTo(6000);
    assertThat(accounting.mismatched()).isEqualTo(1); // epoch 1 has no checkpoint digest
  }

  @Test
  void imagesAppliedTwiceAndBatchesPublishedTwiceAreDuplicates() {
    var topic = Map.of(0, new Epoch(6000, 48, 1, 11L, 1L));
    var accounting = ImageAccounting.of(topic, Map.of(0, new Applied(11L, 6128)), 1, 6000);

    assertThat(accounting.duplicated()).isEqualTo(1 + 128);
  }

  @Test
  void aTopicWithTheWrongNumberOfEpochsIsAMismatch() {
    var accounting =
        ImageAccounting.of(
            TWO_EPOCHS, Map.of(0, new Applied(11L, 6000), 1, new Applied(22L, 6000)), 3, 6000);

    assertThat(accounting.exact()).isFalse();
    assertThat(accounting.findings()).containsExactly("the topic holds 2 epochs, expected 3");
  }
}
