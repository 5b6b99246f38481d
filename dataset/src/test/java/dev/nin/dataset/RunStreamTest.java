package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What ingest publishes for a run: augmentation touches training batches only, as asked. */
class RunStreamTest {

  private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000001");

  @Test
  void cropsAndFlipsChangeTrainingBatchesOnlyAndAReplayIsTheSameBatch() {
    var images = randomImages(200);
    var plain = new RunStream.Spec(RUN, 5, 50, 2, 0, 0, false, 0);
    var cropped = new RunStream.Spec(RUN, 5, 50, 2, 0, 0, false, 2);
    var both = new RunStream.Spec(RUN, 5, 50, 2, 0, 0, true, 2);

    for (long k = 0; k < 8; k++) {
      byte[] original = pixels(RunStream.train(plain, images), k);
      byte[] shifted = pixels(RunStream.train(cropped, images), k);
      assertThat(shifted).as("batch %d cropped", k).isNotEqualTo(original);
      assertThat(pixels(RunStream.train(cropped, images), k)).as("replayed").isEqualTo(shifted);
      assertThat(pixels(RunStream.train(both, images), k)).as("flipped too").isNotEqualTo(shifted);
    }
    assertThat(pixels(RunStream.test(both, images), 0))
        .as("the test split is never augmented")
        .isEqualTo(pixels(RunStream.test(plain, images), 0));
  }

  private static byte[] pixels(RunStream stream, long k) {
    return stream.batch(k).getPixels().toByteArray();
  }

  private static LabeledImages randomImages(int count) {
    var random = new SplittableRandom(3);
    byte[] pixels = new byte[count * LabeledImages.PIXELS];
    random.nextBytes(pixels);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    return new LabeledImages(pixels, labels);
  }
}
