package dev.nin.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.dataset.LabeledImages;
import dev.nin.dataset.RunStream;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory batches are the batches ingest publishes, augmentation included. */
class MemoryBatchesTest {

  @Test
  void anAugmentedEpochInMemoryIsTheEpochIngestPublishes() {
    var images = randomImages(300);
    var spec = new RunStream.Spec(new UUID(0, 1), 5, 64, 3, 0, 0, true, 2);
    var published = RunStream.train(spec, images);
    var memory = new MemoryBatches(images, 0, 5, 64, true, 2);
    var plain = new MemoryBatches(images, 0, 5, 64);

    int epoch = 2;
    var batches = memory.epoch(epoch);
    var unaugmented = plain.epoch(epoch);
    for (int k = 0; k < memory.batchesPerEpoch(); k++) {
      byte[] inMemory = batches.next().pixels();
      long position = (long) epoch * published.batchesPerEpoch() + k;
      assertThat(inMemory)
          .as("batch %d", k)
          .isEqualTo(published.batch(position).getPixels().toByteArray());
      assertThat(inMemory).as("augmented").isNotEqualTo(unaugmented.next().pixels());
    }
  }

  private static LabeledImages randomImages(int count) {
    var random = new SplittableRandom(11);
    byte[] pixels = new byte[count * LabeledImages.PIXELS];
    random.nextBytes(pixels);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    return new LabeledImages(pixels, labels);
  }
}
