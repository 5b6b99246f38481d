package dev.nin.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.contracts.v1.Split;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImageBatchWireSizeTest {

  @Test
  void aBatchOf128RawImagesIsAbout100KilobytesAndRoundTrips() throws Exception {
    var pixels = new byte[128 * FashionMnist.PIXELS];
    var labels = new byte[128];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    var batch =
        ImageBatch.newBuilder()
            .setRunId(UUID.randomUUID().toString())
            .setSplit(Split.TRAIN)
            .setEpoch(3)
            .setIndex(7)
            .setBatchCount(469)
            .setSplitImageCount(60_000)
            .setHeight(FashionMnist.HEIGHT)
            .setWidth(FashionMnist.WIDTH)
            .setPixels(ByteString.copyFrom(pixels))
            .setLabels(ByteString.copyFrom(labels))
            .build();

    byte[] wire = batch.toByteArray();

    assertThat(wire.length).isBetween(100_000, 101_000).isLessThan(Topics.MAX_RECORD_BYTES);
    assertThat(ImageBatch.parseFrom(wire)).isEqualTo(batch);
  }

  @Test
  void runTopicsAreNamedPerRunAndSplit() {
    var run = UUID.fromString("00000000-0000-0000-0000-000000000042");
    assertThat(Topics.trainBatches(run))
        .isEqualTo("nin.run.00000000-0000-0000-0000-000000000042.train");
    assertThat(Topics.isRunTopic(Topics.testBatches(run))).isTrue();
    assertThat(Topics.isRunTopic(Topics.CHECKPOINTS)).isFalse();
    assertThat(Topics.metricLabel(Topics.trainBatches(run))).isEqualTo("nin.run.*.train");
    assertThat(Topics.metricLabel(Topics.testBatches(run))).isEqualTo("nin.run.*.test");
    assertThat(Topics.metricLabel(Topics.CHECKPOINTS)).isEqualTo(Topics.CHECKPOINTS);
  }
}
