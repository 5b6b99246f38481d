package dev.nin.inference.oip;

import com.google.protobuf.ByteString;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.oip.v2.GRPCInferenceServiceGrpc;
import dev.nin.contracts.oip.v2.InferTensorContents;
import dev.nin.contracts.oip.v2.ModelInferRequest;
import dev.nin.contracts.oip.v2.ModelInferResponse;
import dev.nin.contracts.oip.v2.ModelMetadataRequest;
import dev.nin.contracts.oip.v2.ModelMetadataResponse;
import dev.nin.contracts.oip.v2.ModelReadyRequest;
import dev.nin.contracts.oip.v2.ModelReadyResponse;
import dev.nin.contracts.oip.v2.ServerLiveRequest;
import dev.nin.contracts.oip.v2.ServerLiveResponse;
import dev.nin.contracts.oip.v2.ServerMetadataRequest;
import dev.nin.contracts.oip.v2.ServerMetadataResponse;
import dev.nin.contracts.oip.v2.ServerReadyRequest;
import dev.nin.contracts.oip.v2.ServerReadyResponse;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel;
import dev.nin.inference.prediction.NoModelException;
import dev.nin.inference.prediction.OverloadedException;
import dev.nin.inference.prediction.PredictionService;
import dev.nin.inference.prediction.ScoredImages;
import dev.nin.servicekit.web.InvalidFieldException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}), on the same
 * port as {@code nin.v1.Inference}: health, metadata and ModelInfer with typed contents or {@code
 * raw_input_contents}. Bad input is {@code INVALID_ARGUMENT}, an unknown model or version {@code
 * NOT_FOUND}, too many images {@code RESOURCE_EXHAUSTED}, no model {@code UNAVAILABLE}.
 */
@GrpcService
public class OipGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  static final String TRANSPORT = "oip-grpc";

  private final ActiveModel active;
  private final PredictionService predictions;
  private final OipVersions versions;
  private final int maxImages;

  OipGrpcService(
      ActiveModel active,
      PredictionService predictions,
      OipVersions versions,
      InferenceConfig config) {
    this.active = active;
    this.predictions = predictions;
    this.versions = versions;
    this.maxImages = config.limits().maxImages();
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    reply(out, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    reply(out, ServerReadyResponse.newBuilder().setReady(active.version().isPresent()).build());
  }

  @Override
  @Blocking // a version other than the serving one is looked up in the catalogue
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    try {
      OipModel.requireModel(request.getName());
      boolean ready;
      try {
        // as over REST: a servable checkpoint is ready, it loads on its first request
        versions.require(request.getVersion());
        ready = true;
      } catch (OipException notServable) {
        ready = false;
      }
      reply(out, ModelReadyResponse.newBuilder().setReady(ready).build());
    } catch (OipException e) {
      out.onError(status(e).asRuntimeException());
    }
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
    reply(
        out, ServerMetadataResponse.newBuilder().setName(OipModel.SERVER).setVersion("2").build());
  }

  @Override
  @Blocking // reads the catalogue: on a worker thread, never the event loop
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    try {
      OipModel.requireModel(request.getName());
      var metadata =
          ModelMetadataResponse.newBuilder().setName(OipModel.NAME).setPlatform(OipModel.PLATFORM);
      var listed =
          request.getVersion().isEmpty()
              ? versions.servable()
              : List.of(versions.require(request.getVersion()));
      listed.forEach(v -> metadata.addVersions(String.valueOf(v.checkpointId())));
      metadata.addInputs(
          ModelMetadataResponse.TensorMetadata.newBuilder()
              .setName(OipTensors.INPUT)
              .setDatatype("UINT8")
              .addAllShape(OipModel.INPUT_SHAPE));
      for (String name : OipModel.OUTPUTS) {
        metadata.addOutputs(
            ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(name)
                .setDatatype("FP32")
                .addAllShape(OipModel.OUTPUT_SHAPE));
      }
      reply(out, metadata.build());
    } catch (OipException e) {
      out.onError(status(e).asRuntimeException());
    }
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    OipTensors.Images images;
    Set<String> outputs;
    java.util.OptionalLong other;
    boolean raw = request.getRawInputContentsCount() > 0;
    try {
      OipModel.requireModel(request.getModelName());
      other = OipModel.otherVersion(active, request.getModelVersion());
      if (other.isEmpty()) {
        OipModel.requireServing(active, request.getModelVersion());
      }
      images = images(request);
      outputs =
          OipModel.outputs(
              request.getOutputsList().stream()
                  .map(ModelInferRequest.InferRequestedOutputTensor::getName)
                  .toList());
    } catch (OipException e) {
      predictions.recordRefused(TRANSPORT, new InvalidFieldException("inputs", e.getMessage()));
      out.onError(status(e).asRuntimeException());
      return;
    }
    if (other.isPresent()) {
      // another version than the serving one: it may have to be loaded, so off the event loop
      Infrastructure.getDefaultWorkerPool()
          .execute(
              () -> {
                try {
                  var scored =
                      versions.score(other.getAsLong(), images, TRANSPORT, requestId(request));
                  reply(out, answer(request.getId(), scored, outputs, raw));
                } catch (RuntimeException e) {
                  out.onError(status(e).asRuntimeException()); // an OipException keeps its code
                }
              });
      return;
    }
    String version = request.getModelVersion();
    predictions
        .score(images.pixels(), images.count(), TRANSPORT, requestId(request))
        .whenComplete(
            (scored, error) -> {
              if (error != null) {
                out.onError(status(error).asRuntimeException());
              } else if (!version.isEmpty()
                  && !version.equals(String.valueOf(scored.version().checkpointId()))) {
                out.onError(
                    Status.NOT_FOUND
                        .withDescription("version " + version + " is no longer serving")
                        .asRuntimeException());
              } else {
                try {
                  reply(out, answer(request.getId(), scored, outputs, raw));
                } catch (OipException e) {
                  out.onError(status(e).asRuntimeException());
                }
              }
            });
  }

  /** The one input as images: typed contents, or the raw bytes at its index (little-endian). */
  private OipTensors.Images images(ModelInferRequest request) {
    if (request.getInputsCount() != 1) {
      throw new OipException(400, "'inputs' must hold exactly one tensor, named 'image'");
    }
    var input = request.getInputs(0);
    int count =
        OipTensors.imageCount(
            input.getName(), input.getDatatype(), input.getShapeList(), maxImages);
    boolean floats = OipTensors.isFloat(input.getDatatype());
    int expected = count * FashionMnist.PIXELS;
    byte[] pixels = new byte[expected];
    if (request.getRawInputContentsCount() > 0) {
      if (request.getRawInputContentsCount() != 1 || input.hasContents()) {
        throw new OipException(
            400, "send the image either as raw_input_contents (one entry) or as contents");
      }
      ByteString raw = request.getRawInputContents(0);
      int width = floats ? 4 : 1;
      OipTensors.requireFilled(raw.size() / width, expected, count);
      if (raw.size() % width != 0) {
        throw new OipException(400, "raw FP32 contents are not a whole number of 4-byte floats");
      }
      if (floats) {
        var buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < expected; i++) {
          pixels[i] = OipTensors.pixel(buffer.get(i), i);
        }
      } else {
        raw.copyTo(pixels, 0);
      }
    } else {
      InferTensorContents contents = input.getContents();
      if (floats) {
        OipTensors.requireFilled(contents.getFp32ContentsCount(), expected, count);
        for (int i = 0; i < expected; i++) {
          pixels[i] = OipTensors.pixel(contents.getFp32Contents(i), i);
        }
      } else {
        OipTensors.requireFilled(contents.getUintContentsCount(), expected, count);
        for (int i = 0; i < expected; i++) {
          // uint32 on the wire: read unsigned, so 2^31 and above are refused, not wrapped
          pixels[i] = OipTensors.pixel(Integer.toUnsignedLong(contents.getUintContents(i)), i);
        }
      }
    }
    return new OipTensors.Images(pixels, count);
  }

  private static ModelInferResponse answer(
      String id, ScoredImages scored, Set<String> outputs, boolean raw) {
    var answer =
        ModelInferResponse.newBuilder()
            .setModelName(OipModel.NAME)
            .setModelVersion(String.valueOf(scored.version().checkpointId()))
            .setId(id);
    for (String name : outputs) {
      float[][] rows = name.equals(OipModel.PROBS) ? scored.probabilities() : scored.logits();
      if (rows == null) {
        throw new OipException(500, "checkpoint has no '" + name + "' output");
      }
      var tensor =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(name)
              .setDatatype("FP32")
              .addShape(rows.length)
              .addShape(FashionMnist.CLASS_COUNT);
      if (raw) {
        // a raw request gets raw outputs, as Triton answers: little-endian float32, row-major
        var bytes =
            ByteBuffer.allocate(rows.length * FashionMnist.CLASS_COUNT * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
          for (float v : row) {
            bytes.putFloat(v);
          }
        }
        answer.addRawOutputContents(ByteString.copyFrom(bytes.array()));
      } else {
        var contents = InferTensorContents.newBuilder();
        for (float[] row : rows) {
          for (float v : row) {
            contents.addFp32Contents(v);
          }
        }
        tensor.setContents(contents);
      }
      answer.addOutputs(tensor);
    }
    return answer.build();
  }

  private static <T> void reply(StreamObserver<T> out, T message) {
    out.onNext(message);
    out.onCompleted();
  }

  private static Status status(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof OipException e) {
      Status status =
          switch (e.status()) {
            case 404 -> Status.NOT_FOUND;
            case 413 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            case 400 -> Status.INVALID_ARGUMENT;
            default -> Status.INTERNAL;
          };
      return status.withDescription(e.getMessage());
    }
    if (cause instanceof OverloadedException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage());
    }
    if (cause instanceof NoModelException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage());
    }
    return Status.INTERNAL.withDescription("inference failed; see the service log");
  }

  /** The request's {@code id}, when it has one (logged with the prediction). */
  private static String requestId(ModelInferRequest request) {
    return request.getId().isEmpty() ? null : request.getId();
  }
}
