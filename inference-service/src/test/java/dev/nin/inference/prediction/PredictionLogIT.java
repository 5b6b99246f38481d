package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ServedPrediction;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The prediction log: with a sample rate of one half, exactly every second request is published to
 * {@value Topics#PREDICTIONS} as a {@code ServedPrediction} with the client's request id, the
 * transport, the model version, the top classes the client got and the pixels it sent.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
@TestProfile(PredictionLogIT.HalfSampled.class)
class PredictionLogIT {

  private static final int RESIZE = 67;
  private static final int REQUESTS = 10;
  private static final int IMAGES = 2;

  public static class HalfSampled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "nin.inference.prediction-log.sample-rate", "0.5",
          "nin.inference.prediction-log.include-pixels", "true");
    }
  }

  @Test
  void everySecondRequestIsPublishedWithWhatTheClientSentAndGot() throws Exception {
    long version = Checkpoints.insert(Checkpoints.untrainedModelZip(41, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(version);
    Checkpoints.awaitServing(version);
    byte[] pixels = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST).pixels();

    // a prefix of this run's own: a broker kept between test runs holds earlier runs' records
    String prefix = "log-it-" + java.util.UUID.randomUUID() + "-";
    Map<String, float[]> answered = new HashMap<>();
    for (int r = 0; r < REQUESTS; r++) {
      String id = prefix + r;
      List<Float> probs =
          given()
              .contentType("application/json")
              .body(dev.nin.client.RestPredictions.oipBody(id, pixels, r * IMAGES, IMAGES))
              .post("/v2/models/nin/infer")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("outputs.find { it.name == 'probs' }.data", Float.class);
      float[] row = new float[probs.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = probs.get(i);
      }
      answered.put(id, row);
    }

    List<ServedPrediction> logged = new ArrayList<>();
    var kafka = new PipelineKafka(SharedInfrastructure.get().kafkaBootstrapServers());
    try (var consumer = kafka.consumer("prediction-log-it")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                if (consumer.assignment().isEmpty()) {
                  var partitions = consumer.partitionsFor(Topics.PREDICTIONS);
                  if (partitions == null || partitions.isEmpty()) {
                    return false;
                  }
                  var assigned =
                      partitions.stream()
                          .map(p -> new TopicPartition(p.topic(), p.partition()))
                          .toList();
                  consumer.assign(assigned);
                  consumer.seekToBeginning(assigned);
                }
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                  var prediction = ServedPrediction.parseFrom(record.value());
                  assertThat(record.key()).isEqualTo(prediction.getRequestId());
                  if (prediction.getRequestId().startsWith(prefix)) {
                    logged.add(prediction);
                  }
                }
                return logged.size() >= REQUESTS / 2;
              });
      consumer
          .poll(Duration.ofSeconds(2))
          .forEach(
              r -> {
                var late = parse(r.value());
                if (late.getRequestId().startsWith(prefix)) {
                  logged.add(late);
                }
              });
    }

    assertThat(logged.stream().map(ServedPrediction::getRequestId))
        .as("requests 2, 4, 6, 8 and 10 of 10, no more")
        .containsExactlyInAnyOrder(prefix + 1, prefix + 3, prefix + 5, prefix + 7, prefix + 9);
    for (var prediction : logged) {
      int r = Integer.parseInt(prediction.getRequestId().substring(prefix.length()));
      assertThat(prediction.getTransport()).isEqualTo("oip-rest");
      assertThat(prediction.getCheckpointId()).isEqualTo(version);
      assertThat(prediction.getLatencyMillis()).isPositive();
      assertThat(prediction.getImagesCount()).isEqualTo(IMAGES);
      float[] probs = answered.get(prediction.getRequestId());
      for (int i = 0; i < IMAGES; i++) {
        var image = prediction.getImages(i);
        assertThat(image.getPixels().toByteArray())
            .isEqualTo(
                Arrays.copyOfRange(pixels, (r * IMAGES + i) * 784, (r * IMAGES + i + 1) * 784));
        assertThat(image.getTopCount()).isEqualTo(3);
        var best = ClassScore.top(Arrays.copyOfRange(probs, i * 10, i * 10 + 10), 1).get(0);
        assertThat(image.getTop(0).getLabel()).isEqualTo(best.label());
        assertThat(image.getTop(0).getProbability()).isEqualTo(best.probability());
      }
    }
  }

  private static ServedPrediction parse(byte[] value) {
    try {
      return ServedPrediction.parseFrom(value);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not a ServedPrediction", e);
    }
  }
}
