package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nin.client.RestPredictions;
import dev.nin.core.data.MemoryBatches;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.TrainingConfig;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.GrpcChannels;
import dev.nin.inference.InferenceInfrastructureResource;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trained checkpoint served by the service scores the whole official test set, as a client sees
 * it through {@code POST /api/predict}, as the trainer's own evaluation recorded it; the Open
 * Inference Protocol over REST and gRPC give every image the same probabilities (within 1e-6) and
 * so the same accuracy. The checkpoint is not announced: the database poll (the fallback for lost
 * events) finds it.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
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

  @TestHTTPResource URL service;

  @Test
  void theWholeTestSetScoresAsTheTrainerRecordedItAndAlikeOverEveryTransport() throws Exception {
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

    byte[] pixels = test.pixels();
    byte[] labels = test.labels();
    int n = test.count();
    float[] api = new float[n * 10];
    float[] oipRest = new float[n * 10];
    float[] oipGrpc = new float[n * 10];
    ManagedChannel channel = GrpcChannels.open(service);
    try {
      var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
      for (int start = 0; start < n; start += REQUEST_IMAGES) {
        int count = Math.min(REQUEST_IMAGES, n - start);
        apiPredict(pixels, start, count, api);
        oipRest(pixels, start, count, oipRest);
        oipGrpc(grpc, pixels, start, count, oipGrpc);
      }
    } finally {
      channel.shutdownNow();
    }

    double served = accuracy(api, labels);
    double servedOipRest = accuracy(oipRest, labels);
    double servedOipGrpc = accuracy(oipGrpc, labels);
    System.out.printf(
        "test set accuracy: recorded by the trainer %.4f, served over /api/predict %.4f,"
            + " OIP REST %.4f, OIP gRPC %.4f%n",
        recorded, served, servedOipRest, servedOipGrpc);
    assertThat(served).isCloseTo(recorded, org.assertj.core.data.Offset.offset(0.001));
    assertThat(servedOipRest).isEqualTo(served);
    assertThat(servedOipGrpc).isEqualTo(served);
    double largest = 0;
    for (int i = 0; i < n * 10; i++) {
      largest = Math.max(largest, Math.abs(api[i] - oipRest[i]));
      largest = Math.max(largest, Math.abs(api[i] - oipGrpc[i]));
    }
    System.out.printf(
        "largest probability difference between the three transports over %d images: %.3g%n",
        n, largest);
    assertThat(largest).as("every image's probabilities, all three transports").isLessThan(1e-6);
  }

  /** Every class's probability from {@code POST /api/predict?topK=10}. */
  static void apiPredict(byte[] pixels, int start, int count, float[] into) {
    JsonPath answer =
        given()
            .contentType("application/json")
            .queryParam("topK", 10)
            .body(RestPredictions.body(pixels, start, count))
            .post("/api/predict")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    for (int i = 0; i < count; i++) {
      List<Map<String, Object>> top = answer.getList("predictions[" + i + "].top");
      for (var score : top) {
        into[(start + i) * 10 + ((Number) score.get("label")).intValue()] =
            ((Number) score.get("probability")).floatValue();
      }
    }
  }

  /** The Open Inference Protocol over REST: typed UINT8 data, the {@code probs} output. */
  private static void oipRest(byte[] pixels, int start, int count, float[] into) {
    List<Float> probs =
        given()
            .contentType("application/json")
            .body(RestPredictions.oipBody(null, pixels, start, count))
            .post("/v2/models/nin/infer")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("outputs[0].data", Float.class);
    for (int i = 0; i < probs.size(); i++) {
      into[start * 10 + i] = probs.get(i);
    }
  }

  /** The Open Inference Protocol over gRPC: raw input, raw little-endian float32 output. */
  private static void oipGrpc(
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc,
      byte[] pixels,
      int start,
      int count,
      float[] into) {
    var response =
        grpc.modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("nin")
                .addInputs(
                    ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("image")
                        .setDatatype("UINT8")
                        .addAllShape(List.of((long) count, 28L, 28L, 1L)))
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probs"))
                .addRawInputContents(ByteString.copyFrom(pixels, start * 784, count * 784))
                .build());
    response
        .getRawOutputContents(0)
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(into, start * 10, count * 10);
  }

  static double accuracy(float[] probabilities, byte[] labels) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < 10; c++) {
        if (probabilities[i * 10 + c] > probabilities[i * 10 + best]) {
          best = c;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct / (double) labels.length;
  }
}
