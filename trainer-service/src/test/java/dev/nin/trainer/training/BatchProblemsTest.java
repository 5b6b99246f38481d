package dev.nin.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nin.contracts.v1.ImageBatch;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The records a run's feed refuses (to the dead letters) and the ones it trains on. */
class BatchProblemsTest {

  private static final UUID RUN = UUID.fromString("6fe4aad4-2606-4f4b-b179-be777570b082");

  private static ImageBatch.Builder good() {
    return ImageBatch.newBuilder()
        .setRunId(RUN.toString())
        .setHeight(28)
        .setWidth(28)
        .setIndex(0)
        .setBatchCount(3)
        .setLabels(ByteString.copyFrom(new byte[] {1, 2}))
        .setPixels(ByteString.copyFrom(new byte[2 * 784]));
  }

  @Test
  void aWellFormedBatchOfThisRunIsTrainedOn() {
    assertThat(BatchFeed.problem(good().build(), RUN)).isNull();
  }

  @Test
  void aBatchOfAnotherRunIsRefused() {
    assertThat(BatchFeed.problem(good().setRunId(UUID.randomUUID().toString()).build(), RUN))
        .contains("in the topic of run " + RUN);
  }

  @Test
  void aWrongPixelCountIsRefused() {
    assertThat(BatchFeed.problem(good().setPixels(ByteString.copyFrom(new byte[783])).build(), RUN))
        .isEqualTo("2 labels need 1568 pixels, got 783");
  }

  @Test
  void aWrongImageSizeAnOutOfRangeIndexOrLabelIsRefused() {
    assertThat(BatchFeed.problem(good().setHeight(32).build(), RUN)).contains("expected 28x28");
    assertThat(BatchFeed.problem(good().setIndex(3).build(), RUN)).contains("index 3 of 3");
    assertThat(
            BatchFeed.problem(
                good().setLabels(ByteString.copyFrom(new byte[] {1, 10})).build(), RUN))
        .isEqualTo("label 10 is not a class");
  }
}
