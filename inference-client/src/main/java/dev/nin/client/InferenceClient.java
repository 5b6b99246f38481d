package dev.nin.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.FashionMnist;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/predict.sh}: asks inference-service about official test images.
 *
 * <pre>
 *   predict.sh [--url http://127.0.0.1:8082] [--grpc] [--images 8] [--data DIR]
 *   predict.sh accuracy [--url ...]     every test image through POST /api/predict
 * </pre>
 */
public final class InferenceClient {

  private InferenceClient() {}

  public static void main(String[] argv) throws Exception {
    boolean accuracy = argv.length > 0 && argv[0].equals("accuracy");
    String url = "http://127.0.0.1:8082";
    boolean grpc = false;
    int images = 8;
    Path data = FashionMnistFiles.DEFAULT_DIR;
    for (int i = accuracy ? 1 : 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--url" -> url = argv[++i];
        case "--grpc" -> grpc = true;
        case "--images" -> images = Integer.parseInt(argv[++i]);
        case "--data" -> data = Path.of(argv[++i]);
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    var test = FashionMnistFiles.read(data, Split.TEST);
    if (accuracy) {
      accuracy(new RestPredictions(url), test.pixels(), test.labels());
    } else if (grpc) {
      URI uri = URI.create(url);
      try (var client = new GrpcPredictions(uri.getHost(), uri.getPort())) {
        List<dev.nin.contracts.v1.Image> batch = new ArrayList<>();
        for (int i = 0; i < images; i++) {
          batch.add(GrpcPredictions.image(test.pixels(), i));
        }
        var answer = client.predictBatch(batch, 3);
        System.out.printf(
            "gRPC %s:%d, checkpoint %d (run %s, after epoch %d)%n",
            uri.getHost(),
            uri.getPort(),
            answer.getModel().getCheckpointId(),
            answer.getModel().getRunId(),
            answer.getModel().getEpoch() + 1);
        for (int i = 0; i < images; i++) {
          var top = answer.getPredictions(i).getTop(0);
          line(i, test.label(i), top.getLabel(), top.getProbability());
        }
      }
    } else {
      JsonNode answer =
          new RestPredictions(url).send(RestPredictions.body(test.pixels(), 0, images), 3);
      JsonNode model = answer.get("model");
      System.out.printf(
          "REST %s, checkpoint %d (run %s, after epoch %d)%n",
          url,
          model.get("checkpointId").asLong(),
          model.get("runId").asText(),
          model.get("epoch").asInt() + 1);
      for (int i = 0; i < images; i++) {
        JsonNode top = answer.get("predictions").get(i).get("top").get(0);
        line(i, test.label(i), top.get("label").asInt(), (float) top.get("probability").asDouble());
      }
    }
  }

  private static void line(int index, int truth, int predicted, float probability) {
    System.out.printf(
        "  test image %4d: %-12s -> %-12s %5.1f%% %s%n",
        index,
        FashionMnist.className(truth),
        FashionMnist.className(predicted),
        100 * probability,
        truth == predicted ? "" : "(wrong)");
  }

  private static void accuracy(RestPredictions client, byte[] pixels, byte[] labels)
      throws Exception {
    int count = labels.length;
    int correct = 0;
    long checkpoint = -1;
    for (int start = 0; start < count; start += 256) {
      int n = Math.min(256, count - start);
      JsonNode answer = client.send(RestPredictions.body(pixels, start, n), 1);
      checkpoint = answer.get("model").get("checkpointId").asLong();
      for (int i = 0; i < n; i++) {
        if (answer.get("predictions").get(i).get("top").get(0).get("label").asInt()
            == labels[start + i]) {
          correct++;
        }
      }
    }
    System.out.printf(
        "checkpoint=%d%nimages=%d%ntop1=%.4f%n", checkpoint, count, correct / (double) count);
  }
}
