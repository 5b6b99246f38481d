package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.client.RestPredictions;
import dev.nin.contracts.dataset.FashionMnistFiles;
import dev.nin.contracts.dataset.FashionMnistFiles.Split;
import dev.nin.core.data.MemoryBatches;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.TrainingConfig;
import dev.nin.inference.Checkpoints;
import dev.nin.testsupport.MigratedInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trained checkpoint served by the service scores the whole official test set, as a client sees
 * it through {@code POST /api/predict}, exactly as the trainer's own evaluation recorded it. The
 * checkpoint is not announced: the database poll (the fallback for lost events) finds it.
 */
@QuarkusTest
@QuarkusTestResource(MigratedInfrastructureResource.class)
@TestProfile(ServedAccuracyIT.PollingOnly.class)
class ServedAccuracyIT {

  private static final int RESIZE = 67;
  private static final int TRAIN_IMAGES = 20_000;
  private static final int REQUEST_IMAGES = 256;

  /** Kafka events off, a one-second poll: only the database can bring the model in. */
  public static class PollingOnly implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "nin.inference.listen-for-checkpoints", "false", "nin.inference.poll-interval", "PT1S");
    }
  }

  @Test
  void restPredictionsOverTheTestSetMatchTheAccuracyTheTrainerRecorded() throws Exception {
    var train = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TRAIN);
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    var trainBatches = new MemoryBatches(train, TRAIN_IMAGES, 1, 128);
    var testBatches = new MemoryBatches(test, 0, 1, 500);
    double recorded;
    byte[] zip;
    try (var trainer =
        NinTrainer.create(
            NinConfig.chapter().withResize(RESIZE).withSeed(1), TrainingConfig.chapter())) {
      var batches = trainBatches.epoch(0);
      while (batches.hasNext()) {
        trainer.trainStep(batches.next());
      }
      recorded = trainer.evaluate(testBatches.inOrder()).top1();
      zip = Checkpoints.modelZip(trainer);
    }
    assertThat(recorded)
        .as("a trained model, so that agreement means something")
        .isGreaterThan(0.5);
    long checkpoint = Checkpoints.insert(zip, RESIZE, recorded);

    Checkpoints.awaitServing(checkpoint);

    int correct = 0;
    byte[] pixels = test.pixels();
    byte[] labels = test.labels();
    for (int start = 0; start < test.count(); start += REQUEST_IMAGES) {
      int count = Math.min(REQUEST_IMAGES, test.count() - start);
      JsonPath answer =
          given()
              .contentType("application/json")
              .queryParam("topK", 1)
              .body(RestPredictions.body(pixels, start, count))
              .post("/api/predict")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      for (int i = 0; i < count; i++) {
        if (answer.getInt("predictions[" + i + "].top[0].label") == labels[start + i]) {
          correct++;
        }
      }
    }
    double served = correct / (double) test.count();
    System.out.printf(
        "test set accuracy: recorded by the trainer %.4f, served over REST %.4f%n",
        recorded, served);
    assertThat(served).isCloseTo(recorded, org.assertj.core.data.Offset.offset(0.001));
  }
}
