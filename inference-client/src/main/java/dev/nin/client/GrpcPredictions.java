package dev.nin.client;

import com.google.protobuf.ByteString;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.oip.v2.GRPCInferenceServiceGrpc;
import dev.nin.contracts.oip.v2.ModelInferRequest;
import dev.nin.contracts.oip.v2.ModelInferResponse;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.InferenceGrpc;
import dev.nin.contracts.v1.PredictBatchRequest;
import dev.nin.contracts.v1.PredictBatchResponse;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.contracts.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nin.v1.Inference} gRPC service, and the Open Inference Protocol's {@code
 * inference.GRPCInferenceService}, over one plaintext HTTP/2 channel. Thread-safe.
 */
public final class GrpcPredictions implements AutoCloseable {

  private final ManagedChannel channel;
  private final InferenceGrpc.InferenceBlockingStub stub;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip;

  public GrpcPredictions(String host, int port) {
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    this.stub = InferenceGrpc.newBlockingStub(channel);
    this.oip = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  public static Image image(byte[] pixels, int index) {
    return Image.newBuilder()
        .setPixels(ByteString.copyFrom(pixels, index * FashionMnist.PIXELS, FashionMnist.PIXELS))
        .build();
  }

  public PredictResponse predict(Image image, int topK) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .predict(PredictRequest.newBuilder().setImage(image).setTopK(topK).build());
  }

  public PredictBatchResponse predictBatch(Iterable<Image> images, int topK) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .predictBatch(PredictBatchRequest.newBuilder().addAllImages(images).setTopK(topK).build());
  }

  /** One image through the Open Inference Protocol's ModelInfer, as raw UINT8 contents. */
  public ModelInferResponse oipInfer(Image image) {
    return oip.withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("nin")
                .addInputs(
                    ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("image")
                        .setDatatype("UINT8")
                        .addShape(1)
                        .addShape(28)
                        .addShape(28)
                        .addShape(1))
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probs"))
                .addRawInputContents(image.getPixels())
                .build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
  }
}
