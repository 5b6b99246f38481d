package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.InferenceGrpc;
import dev.nin.contracts.v1.PredictBatchRequest;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.GrpcChannels;
import dev.nin.inference.InferenceInfrastructureResource;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Generated gRPC calls against the running service, sent as raw bytes so that nothing on the client
 * side checks them: noise, damaged and valid {@code PredictRequest} and {@code PredictBatchRequest}
 * messages with every image size and {@code top_k}. Each must answer OK, INVALID_ARGUMENT or
 * RESOURCE_EXHAUSTED, never INTERNAL or UNKNOWN (the issue saw INTERNAL for malformed protobuf),
 * and the service must answer a good call afterwards. Seed and count: {@code -Dnin.fuzz.seed},
 * {@code -Dnin.fuzz.http-cases}.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class GeneratedGrpcRequestsIT {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.http-cases", 600);
  private static final int RESIZE = 67;
  private static final Set<Status.Code> CLIENT_ERRORS =
      Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

  @TestHTTPResource URL service;

  @Test
  void noGeneratedCallGetsAServerErrorAndTheServiceStillAnswers() throws Exception {
    long id = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(id);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    var channel = GrpcChannels.open(service);
    try {
      var random = new SplittableRandom(SEED);
      Map<String, Integer> outcomes = new TreeMap<>();
      for (int i = 0; i < CASES; i++) {
        boolean batch = random.nextBoolean();
        byte[] message = batch ? batchRequest(random) : singleRequest(random);
        Status.Code code;
        try {
          ClientCalls.blockingUnaryCall(
              channel,
              raw(batch ? "PredictBatch" : "Predict"),
              CallOptions.DEFAULT.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS),
              message);
          code = Status.Code.OK;
        } catch (StatusRuntimeException e) {
          code = e.getStatus().getCode();
          assertThat(CLIENT_ERRORS)
              .as("call %d (%d bytes): %s", i, message.length, e.getStatus())
              .contains(code);
        }
        outcomes.merge(code.name(), 1, Integer::sum);
      }
      System.out.printf("generated gRPC calls: %d (seed %d): %s%n", CASES, SEED, outcomes);
      var good = PredictRequest.newBuilder().setImage(image(new byte[784])).build();
      assertThat(InferenceGrpc.newBlockingStub(channel).predict(good).getPrediction().getTopCount())
          .isEqualTo(5);
    } finally {
      channel.shutdownNow();
    }
  }

  private static byte[] singleRequest(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> noise(random);
      case 1 -> damage(valid(random).toByteArray(), random);
      default -> valid(random).toByteArray();
    };
  }

  private static byte[] batchRequest(SplittableRandom random) {
    var request = PredictBatchRequest.newBuilder().setTopK(topK(random));
    int images = random.nextInt(4) == 0 ? random.nextInt(250, 300) : random.nextInt(0, 4);
    for (int i = 0; i < images; i++) {
      request.addImages(image(pixels(random)));
    }
    byte[] bytes = request.build().toByteArray();
    return random.nextInt(3) == 0 ? damage(bytes, random) : bytes;
  }

  private static PredictRequest valid(SplittableRandom random) {
    var request = PredictRequest.newBuilder().setTopK(topK(random));
    if (random.nextInt(8) != 0) {
      request.setImage(image(pixels(random)));
    }
    return request.build();
  }

  private static int topK(SplittableRandom random) {
    int[] choices = {0, 1, 5, 10, 11, 1000, -1};
    return choices[random.nextInt(choices.length)];
  }

  private static byte[] pixels(SplittableRandom random) {
    int[] sizes = {784, 784, 784, 0, 1, 783, 785, 28 * 28 * 3, 100_000};
    byte[] pixels = new byte[sizes[random.nextInt(sizes.length)]];
    random.nextBytes(pixels);
    return pixels;
  }

  private static Image image(byte[] pixels) {
    return Image.newBuilder().setPixels(ByteString.copyFrom(pixels)).build();
  }

  private static byte[] noise(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(0, 2000)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Flips, cuts or extends the message's bytes. */
  private static byte[] damage(byte[] bytes, SplittableRandom random) {
    if (bytes.length == 0) {
      return noise(random);
    }
    byte[] damaged = bytes.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int k = 0; k < 1 + random.nextInt(8); k++) {
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return damaged;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
      }
      default -> {
        byte[] longer = java.util.Arrays.copyOf(damaged, damaged.length + 1 + random.nextInt(16));
        return longer;
      }
    }
  }

  private static MethodDescriptor<byte[], byte[]> raw(String method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(
            MethodDescriptor.generateFullMethodName(InferenceGrpc.SERVICE_NAME, method))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };
}
