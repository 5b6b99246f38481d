package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.nin.core.data.MemoryBatches;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.Batch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.TrainingConfig;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code nin.inference.precision=bf16} the service serves the SavedModel's bfloat16 signature:
 * the probabilities are a bfloat16 trainer's with the same weights, not the float32 ones, and the
 * whole official test set scores within 0.3 points of the float32 accuracy the trainer recorded.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
@TestProfile(ServedInBfloat16IT.Bfloat16.class)
class ServedInBfloat16IT {

  private static final int RESIZE = 67;
  private static final int TRAIN_IMAGES = 20_000;
  private static final int REQUEST_IMAGES = 256;
  private static final int COMPARED_IMAGES = 500;

  public static class Bfloat16 implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "nin.inference.precision", "bf16",
          "nin.inference.listen-for-checkpoints", "false",
          "nin.inference.poll-interval", "PT1S");
    }
  }

  @Test
  void theTestSetScoresWithinAThirdOfAPointOfFloat32() throws Exception {
    var train = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TRAIN);
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    var model = NinConfig.chapter().withResize(RESIZE).withSeed(1);
    var first =
        new Batch(
            Arrays.copyOf(test.pixels(), COMPARED_IMAGES * 784),
            Arrays.copyOf(test.labels(), COMPARED_IMAGES));
    double recorded;
    byte[] zip;
    float[][] float32;
    float[][] bfloat16;
    try (var trainer = NinTrainer.create(model, TrainingConfig.chapter());
        var bf16 =
            NinTrainer.create(model, TrainingConfig.chapter().withPrecision(Precision.BF16))) {
      var batches = new MemoryBatches(train, TRAIN_IMAGES, 1, 128).epoch(0);
      while (batches.hasNext()) {
        trainer.trainStep(batches.next());
      }
      recorded = trainer.evaluate(new MemoryBatches(test, 0, 1, 500).inOrder()).top1();
      zip = Checkpoints.modelZip(trainer);
      float32 = trainer.predict(first);
      bf16.restore(trainer.state());
      bfloat16 = bf16.predict(first);
    }
    assertThat(recorded).as("a trained model").isGreaterThan(0.5);
    long checkpoint = Checkpoints.insert(zip, RESIZE, recorded);

    Checkpoints.awaitServing(checkpoint);

    int n = test.count();
    float[] served = new float[n * 10];
    for (int start = 0; start < n; start += REQUEST_IMAGES) {
      ServedAccuracyIT.apiPredict(
          test.pixels(), start, Math.min(REQUEST_IMAGES, n - start), served);
    }
    double fromFloat32 = 0;
    double fromBfloat16 = 0;
    for (int i = 0; i < COMPARED_IMAGES; i++) {
      for (int c = 0; c < 10; c++) {
        fromFloat32 = Math.max(fromFloat32, Math.abs(served[i * 10 + c] - float32[i][c]));
        fromBfloat16 = Math.max(fromBfloat16, Math.abs(served[i * 10 + c] - bfloat16[i][c]));
      }
    }
    double accuracy = ServedAccuracyIT.accuracy(served, test.labels());
    System.out.printf(
        "served in bfloat16: test top-1 %.4f (float32 recorded %.4f); largest probability"
            + " difference from a bfloat16 trainer %.3g, from the float32 one %.3g%n",
        accuracy, recorded, fromBfloat16, fromFloat32);
    assertThat(fromBfloat16).as("the bfloat16 signature serves").isLessThan(1e-4);
    assertThat(fromFloat32).as("not the float32 one").isGreaterThan(1e-4);
    assertThat(accuracy).isCloseTo(recorded, offset(0.003));
  }
}
