package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.data.MemoryBatches;
import dev.nin.core.model.NinConfig;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import org.junit.jupiter.api.Test;

/**
 * The seed's recipe learns real Fashion-MNIST: Adam 1e-3, batch 128, the default initialisation,
 * one epoch of the full training split at 67 px (the smallest input, ~50 s here), evaluated on
 * 2,000 official test images. With plain Glorot-uniform seeds 1 and 2 reached 0.798 and 0.803, and
 * with the classifier bias at 1 seed 1 reached 0.8425. With today's default (bias 10), 20 seeds on
 * the full test set gave 0.7476 to 0.8525 (seed 1: 0.8186); smaller subsets were fragile (12,000
 * images for two epochs gave 0.64 to 0.77 across three seeds), so the bar stays at 0.70.
 */
class FashionMnistTrainingIT {

  @Test
  void oneEpochAt67PixelsReachesTop1OfAtLeast70Percent() throws Exception {
    var train = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TRAIN);
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    long seed = 1;
    var trainBatches = new MemoryBatches(train, 0, seed, 128);
    var testBatches = new MemoryBatches(test, 2_000, seed, 500);

    try (var trainer =
        NinTrainer.create(
            NinConfig.chapter().withResize(67).withSeed(seed), TrainingConfig.chapter())) {
      for (int epoch = 0; epoch < 1; epoch++) {
        var batches = trainBatches.epoch(epoch);
        while (batches.hasNext()) {
          trainer.trainStep(batches.next());
        }
      }
      Evaluation result = trainer.evaluate(testBatches.inOrder());

      System.out.printf("[nin-core] 67 px, 60k images, 1 epoch: test %s%n", result);
      assertThat(result.images()).isEqualTo(2_000);
      assertThat(result.top1()).isGreaterThanOrEqualTo(0.70);
      assertThat(result.top5()).isGreaterThan(result.top1());
    }
  }
}
