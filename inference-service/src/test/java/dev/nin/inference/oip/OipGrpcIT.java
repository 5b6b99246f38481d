package dev.nin.inference.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.GrpcChannels;
import dev.nin.inference.InferenceInfrastructureResource;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerLiveRequest;
import inference.GrpcPredictV2.ServerMetadataRequest;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol v2 over gRPC, through a client compiled from the protocol's own
 * definition (src/test/proto): health, metadata, ModelInfer with typed and raw contents, and the
 * status codes bad requests get. The probabilities are those of {@code POST /api/predict}.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class OipGrpcIT {

  private static final int RESIZE = 67;
  private static final int IMAGES = 16;
  private static long version;
  private static long older;
  private static byte[] pixels;

  @TestHTTPResource URL service;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip;

  @BeforeEach
  void aCheckpointServes() throws Exception {
    if (pixels == null) {
      older = Checkpoints.insert(Checkpoints.untrainedModelZip(31, RESIZE), RESIZE, 0.1);
      version = Checkpoints.insert(Checkpoints.untrainedModelZip(13, RESIZE), RESIZE, 0.1);
      Checkpoints.announce(version);
      Checkpoints.awaitServing(version);
      pixels = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST).pixels();
    }
    channel = GrpcChannels.open(service);
    oip = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  @Test
  void healthAndMetadataOverGrpc() {
    assertThat(oip.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(oip.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(oip.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
        .isEqualTo("nin-inference");
    assertThat(oip.modelReady(ModelReadyRequest.newBuilder().setName("nin").build()).getReady())
        .isTrue();
    assertThat(
            oip.modelReady(
                    ModelReadyRequest.newBuilder().setName("nin").setVersion("999999").build())
                .getReady())
        .isFalse();

    var metadata = oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("nin").build());
    assertThat(metadata.getVersionsList()).startsWith(String.valueOf(version));
    assertThat(metadata.getInputs(0).getName()).isEqualTo("image");
    assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("UINT8");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 28L, 28L, 1L);
    assertThat(metadata.getOutputsList())
        .extracting(o -> o.getName())
        .containsExactly("probs", "logits");
    assertCode(
        () -> oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("resnet").build()),
        Status.Code.NOT_FOUND);
  }

  @Test
  void typedAndRawRequestsGiveTheProbabilitiesOfApiPredict() throws Exception {
    ModelInferResponse typed = oip.modelInfer(typedRequest("UINT8", IMAGES).setId("g-1").build());
    ModelInferResponse raw = oip.modelInfer(rawRequest(IMAGES).build());

    assertThat(typed.getModelName()).isEqualTo("nin");
    assertThat(typed.getModelVersion()).isEqualTo(String.valueOf(version));
    assertThat(typed.getId()).isEqualTo("g-1");
    assertThat(typed.getOutputs(0).getName()).isEqualTo("probs");
    assertThat(typed.getOutputs(0).getShapeList()).containsExactly((long) IMAGES, 10L);
    float[] probs = toArray(typed.getOutputs(0).getContents());
    assertThat(probs).hasSize(IMAGES * 10);
    assertThat(raw.getRawOutputContentsCount()).as("raw in, raw out").isEqualTo(2);
    assertThat(littleEndianFloats(raw.getRawOutputContents(0))).containsExactly(probs);

    double[] own = ApiPredictProbabilities.of(pixels, IMAGES);
    for (int i = 0; i < IMAGES * 10; i++) {
      assertThat((double) probs[i]).isCloseTo(own[i], within(1e-6));
    }
    float[] floats =
        toArray(oip.modelInfer(typedRequest("FP32", IMAGES).build()).getOutputs(0).getContents());
    assertThat(floats).containsExactly(probs);
  }

  @Test
  void aVersionByIdIsServedByThatCheckpoint() {
    var old =
        oip.modelInfer(typedRequest("UINT8", 2).setModelVersion(String.valueOf(older)).build());
    var serving = oip.modelInfer(typedRequest("UINT8", 2).build());

    assertThat(
            oip.modelReady(
                    ModelReadyRequest.newBuilder()
                        .setName("nin")
                        .setVersion(String.valueOf(older))
                        .build())
                .getReady())
        .as("a servable version is ready: it loads on its first request, as over REST")
        .isTrue();
    assertThat(old.getModelVersion()).isEqualTo(String.valueOf(older));
    assertThat(serving.getModelVersion()).isEqualTo(String.valueOf(version));
    assertThat(toArray(old.getOutputs(0).getContents()))
        .isNotEqualTo(toArray(serving.getOutputs(0).getContents()));
    assertThat(
            oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("nin").build())
                .getVersionsList())
        .startsWith(String.valueOf(version))
        .contains(String.valueOf(older));
  }

  @Test
  void badRequestsGetTheProtocolsStatusCodes() {
    assertCode(
        () -> oip.modelInfer(typedRequest("INT64", 1).build()), Status.Code.INVALID_ARGUMENT);
    assertCode(
        () ->
            oip.modelInfer(
                reshaped(
                    typedRequest("UINT8", 1),
                    s -> s.clearShape().addAllShape(Arrays.asList(1L, 784L)))),
        Status.Code.INVALID_ARGUMENT);
    assertCode(
        () -> oip.modelInfer(reshaped(typedRequest("UINT8", 1), s -> s.setShape(0, 2))),
        Status.Code.INVALID_ARGUMENT);
    assertCode(
        () -> oip.modelInfer(reshaped(typedRequest("UINT8", 1), s -> s.setShape(0, 257))),
        Status.Code.RESOURCE_EXHAUSTED);
    var tooBright = typedRequest("UINT8", 1);
    tooBright.getInputsBuilder(0).getContentsBuilder().setUintContents(5, 256);
    assertCode(() -> oip.modelInfer(tooBright.build()), Status.Code.INVALID_ARGUMENT);
    var negativeAsUnsigned = typedRequest("UINT8", 1);
    negativeAsUnsigned.getInputsBuilder(0).getContentsBuilder().setUintContents(0, -1);
    assertCode(() -> oip.modelInfer(negativeAsUnsigned.build()), Status.Code.INVALID_ARGUMENT);
    var shortRaw = rawRequest(1).setRawInputContents(0, ByteString.copyFrom(new byte[100]));
    assertCode(() -> oip.modelInfer(shortRaw.build()), Status.Code.INVALID_ARGUMENT);
    assertCode(
        () -> oip.modelInfer(typedRequest("UINT8", 1).setModelName("resnet").build()),
        Status.Code.NOT_FOUND);
    assertCode(
        () -> oip.modelInfer(typedRequest("UINT8", 1).setModelVersion("999999").build()),
        Status.Code.NOT_FOUND);
    assertCode(
        () ->
            oip.modelInfer(
                typedRequest("UINT8", 1)
                    .addOutputs(
                        ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("x"))
                    .build()),
        Status.Code.INVALID_ARGUMENT);
  }

  private static ModelInferRequest reshaped(
      ModelInferRequest.Builder request,
      UnaryOperator<ModelInferRequest.InferInputTensor.Builder> change) {
    change.apply(request.getInputsBuilder(0));
    return request.build();
  }

  private static ModelInferRequest.Builder typedRequest(String datatype, int images) {
    var contents = InferTensorContents.newBuilder();
    for (int i = 0; i < images * 784; i++) {
      if (datatype.equals("FP32")) {
        contents.addFp32Contents(pixels[i] & 0xff);
      } else {
        contents.addUintContents(pixels[i] & 0xff);
      }
    }
    return ModelInferRequest.newBuilder()
        .setModelName("nin")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype(datatype)
                .addAllShape(Arrays.asList((long) images, 28L, 28L, 1L))
                .setContents(contents))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probs"));
  }

  private static ModelInferRequest.Builder rawRequest(int images) {
    return ModelInferRequest.newBuilder()
        .setModelName("nin")
        .setModelVersion(String.valueOf(version))
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("UINT8")
                .addAllShape(Arrays.asList((long) images, 28L, 28L, 1L)))
        .addRawInputContents(ByteString.copyFrom(pixels, 0, images * 784));
  }

  private static float[] toArray(InferTensorContents contents) {
    float[] values = new float[contents.getFp32ContentsCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = contents.getFp32Contents(i);
    }
    return values;
  }

  private static float[] littleEndianFloats(ByteString bytes) {
    var buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
  }
}
