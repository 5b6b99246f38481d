package dev.nin.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.InferenceGrpc;
import dev.nin.contracts.v1.PredictBatchRequest;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.tools.bench.CheckpointPublisher;
import dev.nin.tools.bench.Targets;
import dev.nin.tools.chaos.BadInput.Outcome;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The bad-input catalogue, sent to the running product: malformed REST and gRPC requests, records
 * no consumer can use, checkpoints that must never serve. Each case states its expected outcome;
 * afterwards every service must still be healthy and the model that served before still serves.
 * {@code scripts/chaos.sh} runs it against the local stack, {@code BadInputCatalogueIT} in the test
 * suite against freshly started services.
 */
public final class BadInputCatalogue {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a case that got no answer is reported. */
  static final String EXCEPTION = "exception ";

  private final Targets to;
  private final Http http = new Http();

  public BadInputCatalogue(Targets targets) {
    this.to = targets;
  }

  /** One case's result. */
  public record Result(BadInput input, Outcome outcome) {
    public boolean asExpected() {
      return outcome.observed().startsWith(input.expected());
    }
  }

  /** The whole catalogue's result and the product's state afterwards. */
  public record Report(List<Result> results, boolean servicesHealthy, boolean sameModelServes) {
    /**
     * Cases answered with a 5xx, or not answered at all (a reset, a timeout, a dead service): a
     * transport failure is no better than a 5xx.
     */
    public long serverErrors() {
      return results.stream()
          .filter(r -> r.outcome().serverError() || r.outcome().observed().startsWith(EXCEPTION))
          .count();
    }

    public long unexpected() {
      return results.stream().filter(r -> !r.asExpected()).count();
    }

    public boolean passed() {
      return unexpected() == 0 && serverErrors() == 0 && servicesHealthy && sameModelServes;
    }
  }

  public static void main(String[] args) throws Exception {
    Report report = new BadInputCatalogue(Targets.fromEnvironment()).run();
    for (Result r : report.results()) {
      System.err.printf(
          Locale.ROOT,
          "[bad input] %-10s %-62s expected %-26s got %s%s%n",
          r.input().area(),
          r.input().name(),
          r.input().expected(),
          r.outcome().observed(),
          r.asExpected() ? "" : "   <-- UNEXPECTED");
    }
    System.out.println("bad_inputs_tried=" + report.results().size());
    System.out.println("bad_inputs_unexpected=" + report.unexpected());
    System.out.println("bad_inputs_5xx=" + report.serverErrors());
    System.out.println("bad_inputs_services_healthy=" + report.servicesHealthy());
    System.out.println("bad_inputs_same_model_serves=" + report.sameModelServes());
    System.exit(report.passed() ? 0 : 1);
  }

  public Report run() throws Exception {
    try (var checkpoints =
        new CheckpointPublisher(
            to.jdbcUrl(), to.dbUser(), to.dbPassword(), to.kafka(), to.inference())) {
      long serving = checkpoints.activeCheckpoint();
      byte[] valid = BadCheckpoints.valid();
      if (serving < 0) {
        // a fresh installation: give the service a model first, so "keeps serving" means something
        serving =
            checkpoints.start(
                "bad-input-catalogue", valid, BadCheckpoints.sha256(valid), BadCheckpoints.RESIZE);
        checkpoints.awaitActive(serving, Duration.ofSeconds(60));
      } else {
        checkpoints.start("bad-input-catalogue", valid, "0".repeat(64), BadCheckpoints.RESIZE);
      }
      List<Result> results = new ArrayList<>();
      for (BadInput input : cases(checkpoints, valid)) {
        Outcome outcome;
        try {
          outcome = input.attempt().run();
        } catch (Exception e) {
          outcome = Outcome.of(EXCEPTION + e);
        }
        results.add(new Result(input, outcome));
      }
      boolean healthy = healthy();
      boolean sameModel = checkpoints.activeCheckpoint() == serving && predicts();
      return new Report(results, healthy, sameModel);
    }
  }

  private List<BadInput> cases(CheckpointPublisher checkpoints, byte[] valid) throws Exception {
    String predict = to.inference() + "/api/predict";
    String runs = to.trainer() + "/api/runs";
    String pin = to.inference() + "/api/model/pin";
    String ok784 = values(784, "0");
    List<BadInput> cases = new ArrayList<>();

    // ---- REST: POST /api/predict
    cases.add(
        rest(
            "predict: 783 pixels",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\":" + values(783, "0") + "}", null)));
    cases.add(
        rest(
            "predict: a pixel of 256",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\":" + values(784, "256") + "}", null)));
    cases.add(
        rest(
            "predict: a pixel of -1",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\":" + values(784, "-1") + "}", null)));
    cases.add(
        rest(
            "predict: a pixel of 1.5",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\":" + values(784, "1.5") + "}", null)));
    cases.add(
        rest(
            "predict: malformed JSON",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\": [1, 2", null)));
    cases.add(
        rest(
            "predict: an unknown field",
            "400 problem+json",
            () -> http.json("POST", predict, "{\"pixels\":" + ok784 + ",\"colour\":1}", null)));
    cases.add(
        rest(
            "predict: pixels and instances at once",
            "400 problem+json",
            () ->
                http.json(
                    "POST",
                    predict,
                    "{\"pixels\":" + ok784 + ",\"instances\":[" + ok784 + "]}",
                    null)));
    cases.add(
        rest(
            "predict: topK=0",
            "400 problem+json",
            () -> http.json("POST", predict + "?topK=0", "{\"pixels\":" + ok784 + "}", null)));
    cases.add(
        rest(
            "predict: 257 instances",
            "413 problem+json",
            () ->
                http.json(
                    "POST",
                    predict,
                    "{\"instances\":[" + String.join(",", Collections.nCopies(257, ok784)) + "]}",
                    null)));
    cases.add(
        rest(
            "predict: text/plain",
            "415 problem+json",
            () -> http.send("POST", predict, "text/plain", "a shirt".getBytes(), null)));
    cases.add(
        rest(
            "predict: a PNG that is no image",
            "400 problem+json",
            () ->
                http.send(
                    "POST",
                    predict,
                    "image/png",
                    new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3},
                    null)));
    cases.add(
        rest(
            "predict: a 5000x1 px PNG",
            "413 problem+json",
            () -> http.send("POST", predict, "image/png", png(5000, 1), null)));
    cases.add(
        rest(
            "predict: a 9 MB body (over the HTTP limit)",
            "413",
            () -> http.send("POST", predict, "application/json", new byte[9 << 20], null)));
    // ---- REST: runs (trainer)
    String run = "{\"resize\": 96, \"epochs\": 1, \"trainLimit\": 1000}";
    cases.add(
        rest(
            "runs: start without a token",
            "401 problem+json",
            () -> http.json("POST", runs, run, null)));
    cases.add(
        rest(
            "runs: start with a wrong token",
            "403 problem+json",
            () -> http.json("POST", runs, run, "wrong-" + to.token())));
    cases.add(
        rest(
            "runs: resize 66 (below the 67 px limit)",
            "400 problem+json",
            () -> http.json("POST", runs, "{\"resize\": 66}", to.token())));
    cases.add(
        rest(
            "runs: epochs 0",
            "400 problem+json",
            () -> http.json("POST", runs, "{\"epochs\": 0}", to.token())));
    cases.add(
        rest(
            "runs: learningRate \"fast\"",
            "400 problem+json",
            () -> http.json("POST", runs, "{\"learningRate\": \"fast\"}", to.token())));
    cases.add(
        rest(
            "runs: an unknown field",
            "400 problem+json",
            () -> http.json("POST", runs, "{\"lr\": 0.1}", to.token())));
    cases.add(
        rest(
            "runs: a run id that is no UUID",
            "400 problem+json",
            () -> http.json("GET", runs + "/not-a-uuid", null, null)));
    cases.add(
        rest(
            "runs: a 2 MB body (over the HTTP limit)",
            "413",
            () -> http.send("POST", runs, "application/json", new byte[2 << 20], to.token())));
    cases.add(
        rest(
            "runs: cancel an unknown run",
            "404 problem+json",
            () ->
                http.json(
                    "POST",
                    runs + "/00000000-0000-0000-0000-000000000000/cancel",
                    null,
                    to.token())));
    // ---- REST: pin (inference)
    cases.add(
        rest(
            "pin: without a token",
            "401 problem+json",
            () -> http.json("PUT", pin, "{\"checkpointId\": 1}", null)));
    cases.add(
        rest(
            "pin: an unknown checkpoint",
            "404 problem+json",
            () -> http.json("PUT", pin, "{\"checkpointId\": 987654321}", to.token())));
    cases.add(
        rest(
            "pin: no checkpointId",
            "400 problem+json",
            () -> http.json("PUT", pin, "{}", to.token())));
    // ---- gRPC
    cases.add(
        new BadInput(
            "gRPC",
            "Predict: an image of 100 bytes",
            "INVALID_ARGUMENT",
            () ->
                grpc(
                    stub ->
                        stub.predict(PredictRequest.newBuilder().setImage(image(100)).build()))));
    cases.add(
        new BadInput(
            "gRPC",
            "Predict: top_k 11",
            "INVALID_ARGUMENT",
            () ->
                grpc(
                    stub ->
                        stub.predict(
                            PredictRequest.newBuilder()
                                .setImage(image(784))
                                .setTopK(11)
                                .build()))));
    cases.add(
        new BadInput(
            "gRPC",
            "PredictBatch: no images",
            "INVALID_ARGUMENT",
            () -> grpc(stub -> stub.predictBatch(PredictBatchRequest.getDefaultInstance()))));
    cases.add(
        new BadInput(
            "gRPC",
            "PredictBatch: 257 images",
            "RESOURCE_EXHAUSTED",
            () ->
                grpc(
                    stub ->
                        stub.predictBatch(
                            PredictBatchRequest.newBuilder()
                                .addAllImages(Collections.nCopies(257, image(784)))
                                .build()))));
    // ---- Kafka
    var kafka = new PipelineKafka(to.kafka());
    cases.add(
        new BadInput(
            "Kafka",
            "training request: not a protobuf",
            "dead letter from ingest-service",
            () ->
                deadLettered(
                    kafka, Topics.TRAINING_REQUESTS, new byte[] {(byte) 0xff, 0x01, 0x02})));
    cases.add(
        new BadInput(
            "Kafka",
            "training request: batch_size 0 (invalid)",
            "dead letter from ingest-service",
            () ->
                deadLettered(
                    kafka,
                    Topics.TRAINING_REQUESTS,
                    TrainingRequest.newBuilder()
                        .setRunId("00000000-0000-0000-0000-00000000abcd")
                        .setEpochs(1)
                        .setBatchSize(0)
                        .build()
                        .toByteArray())));
    cases.add(
        new BadInput(
            "Kafka",
            "training request: a 5 MB record",
            "refused: RecordTooLargeException",
            () -> oversized(kafka)));
    cases.add(
        new BadInput(
            "Kafka",
            "checkpoint event: not a protobuf",
            "dead letter from inference-service",
            () -> deadLettered(kafka, Topics.CHECKPOINTS, new byte[] {(byte) 0xff, 0x7f})));
    // ---- checkpoints: none may serve, the old model keeps serving
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    cases.add(
        checkpoint(
            "checkpoint: not a zip",
            "REJECTED not a valid SavedModel zip",
            checkpoints,
            garbage,
            BadCheckpoints.sha256(garbage)));
    cases.add(
        checkpoint(
            "checkpoint: wrong SHA-256",
            "REJECTED SHA-256 mismatch",
            checkpoints,
            valid,
            "f".repeat(64)));
    byte[] noVariables = BadCheckpoints.withoutVariables(valid);
    cases.add(
        checkpoint(
            "checkpoint: SavedModel without its variables",
            "REJECTED the model fails on a warm-up batch",
            checkpoints,
            noVariables,
            BadCheckpoints.sha256(noVariables)));
    byte[] fiveClasses = BadCheckpoints.fiveClasses();
    cases.add(
        checkpoint(
            "checkpoint: a model with 5 outputs, not 10",
            "REJECTED the model fails on a warm-up batch",
            checkpoints,
            fiveClasses,
            BadCheckpoints.sha256(fiveClasses)));
    return cases;
  }

  private static BadInput rest(String name, String expected, BadInput.Attempt attempt) {
    return new BadInput("REST", name, expected, attempt);
  }

  private interface GrpcCall {
    Object call(InferenceGrpc.InferenceBlockingStub stub);
  }

  private Outcome grpc(GrpcCall call) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(to.grpcHost(), to.grpcPort()).usePlaintext().build();
    try {
      call.call(InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
      return Outcome.of("OK");
    } catch (StatusRuntimeException e) {
      var code = e.getStatus().getCode();
      return new Outcome(
          code.name(), code == io.grpc.Status.Code.INTERNAL || code == io.grpc.Status.Code.UNKNOWN);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code value} to {@code topic} and waits for the dead letter naming its offset. */
  private static Outcome deadLettered(PipelineKafka kafka, String topic, byte[] value)
      throws Exception {
    // no broker creates topics on first use: before the first letter, the topic may not exist
    kafka.ensureTopic(Topics.DEAD_LETTERS);
    try (var letters = kafka.broadcastConsumer("bad-input-catalogue")) {
      var partition = new TopicPartition(Topics.DEAD_LETTERS, 0);
      letters.assign(List.of(partition));
      letters.seekToEnd(List.of(partition));
      letters.position(partition);
      long offset;
      kafka.ensureTopic(topic);
      try (var producer = kafka.producer("bad-input-catalogue")) {
        offset = producer.send(new ProducerRecord<>(topic, "bad-input", value)).get().offset();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : letters.poll(Duration.ofMillis(500))) {
          var letter = DeadLetter.parseFrom(record.value());
          if (letter.getSourceTopic().equals(topic) && letter.getSourceOffset() == offset) {
            return Outcome.of(
                "dead letter from " + letter.getService() + ": " + letter.getReason());
          }
        }
      }
      return Outcome.of("no dead letter within 60 s");
    }
  }

  private static Outcome oversized(PipelineKafka kafka) throws Exception {
    try (var producer = kafka.producer("bad-input-catalogue")) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.TRAINING_REQUESTS, "bad-input", new byte[5 * 1024 * 1024]))
          .get();
      return Outcome.of("accepted");
    } catch (ExecutionException e) {
      return Outcome.of(
          e.getCause() instanceof RecordTooLargeException
              ? "refused: RecordTooLargeException"
              : "failed: " + e.getCause());
    }
  }

  private BadInput checkpoint(
      String name,
      String expected,
      CheckpointPublisher checkpoints,
      byte[] zip,
      String claimedSha) {
    return new BadInput(
        "checkpoint",
        name,
        expected,
        () -> {
          long id = checkpoints.insert(zip, claimedSha);
          checkpoints.announce(id);
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (System.nanoTime() < deadline) {
            for (JsonNode event : model().get("history")) {
              if (event.path("checkpointId").asLong() == id
                  && !event.path("kind").asText().equals("PINNED")) {
                return Outcome.of(
                    event.path("kind").asText() + " " + event.path("detail").asText());
              }
            }
            Thread.sleep(200);
          }
          return Outcome.of("neither loaded nor rejected within 60 s");
        });
  }

  private JsonNode model() throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(to.inference() + "/api/model")).build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private boolean healthy() throws Exception {
    for (String service : List.of(to.ingest(), to.trainer(), to.inference())) {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(service + "/q/health/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.println("[bad input] " + service + " is not ready: " + response.body());
        return false;
      }
    }
    return true;
  }

  private boolean predicts() throws Exception {
    return http.json(
            "POST", to.inference() + "/api/predict", "{\"pixels\":" + values(784, "0") + "}", null)
        .observed()
        .startsWith("200");
  }

  private static String values(int count, String value) {
    return "[" + String.join(",", Collections.nCopies(count, value)) + "]";
  }

  private static Image image(int bytes) {
    return Image.newBuilder().setPixels(ByteString.copyFrom(new byte[bytes])).build();
  }

  private static byte[] png(int width, int height) throws Exception {
    var out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    return out.toByteArray();
  }
}
