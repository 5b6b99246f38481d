package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.v1.GetModelRequest;
import dev.nin.contracts.v1.Image;
import dev.nin.contracts.v1.InferenceGrpc;
import dev.nin.contracts.v1.ModelVersion;
import dev.nin.contracts.v1.PredictBatchRequest;
import dev.nin.contracts.v1.PredictBatchResponse;
import dev.nin.contracts.v1.PredictRequest;
import dev.nin.contracts.v1.PredictResponse;
import dev.nin.contracts.v1.Prediction;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel;
import dev.nin.servicekit.web.InvalidFieldException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The {@code nin.v1.Inference} gRPC service: the same checks, batcher and answers as REST. Status
 * codes: INVALID_ARGUMENT for bad input, RESOURCE_EXHAUSTED over a limit or when overloaded,
 * UNAVAILABLE while no model serves.
 */
@GrpcService
public class InferenceGrpcService extends InferenceGrpc.InferenceImplBase {

  static final String TRANSPORT = "grpc";
  private static final int DEFAULT_TOP_K = 5;

  private final PredictionService predictions;
  private final ActiveModel active;
  private final int maxImages;

  InferenceGrpcService(PredictionService predictions, ActiveModel active, InferenceConfig config) {
    this.predictions = predictions;
    this.active = active;
    this.maxImages = config.limits().maxImages();
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
    score(
        List.of(request.getImage()),
        request.getTopK(),
        responses,
        (scored, topK) ->
            PredictResponse.newBuilder()
                .setModel(toProto(scored.version()))
                .setPrediction(toProto(scored.probabilities()[0], topK))
                .build());
  }

  @Override
  public void predictBatch(
      PredictBatchRequest request, StreamObserver<PredictBatchResponse> responses) {
    score(
        request.getImagesList(),
        request.getTopK(),
        responses,
        (scored, topK) -> {
          var answer = PredictBatchResponse.newBuilder().setModel(toProto(scored.version()));
          for (float[] row : scored.probabilities()) {
            answer.addPredictions(toProto(row, topK));
          }
          return answer.build();
        });
  }

  @Override
  public void getModel(GetModelRequest request, StreamObserver<ModelVersion> responses) {
    active
        .version()
        .ifPresentOrElse(
            version -> {
              responses.onNext(toProto(version));
              responses.onCompleted();
            },
            () -> responses.onError(status(new NoModelException()).asRuntimeException()));
  }

  private interface Answer<T> {
    T build(ScoredImages scored, int topK);
  }

  private <T> void score(
      List<Image> images, int requestedTopK, StreamObserver<T> responses, Answer<T> answer) {
    int topK = requestedTopK == 0 ? DEFAULT_TOP_K : requestedTopK;
    byte[] pixels;
    try {
      PixelInput.checkTopK(topK, "top_k");
      if (images.isEmpty()) {
        throw new InvalidFieldException("images", "send at least one image");
      }
      if (images.size() > maxImages) {
        throw new TooLargeException(images.size() + " images; at most " + maxImages + " a call");
      }
      pixels = new byte[images.size() * FashionMnist.PIXELS];
      for (int i = 0; i < images.size(); i++) {
        var image = images.get(i).getPixels();
        if (image.size() != FashionMnist.PIXELS) {
          throw new InvalidFieldException(
              "images[" + i + "].pixels",
              "an image is " + FashionMnist.PIXELS + " bytes (28x28), got " + image.size());
        }
        image.copyTo(pixels, i * FashionMnist.PIXELS);
      }
    } catch (InvalidFieldException | TooLargeException e) {
      predictions.recordRefused(TRANSPORT, e);
      responses.onError(status(e).asRuntimeException());
      return;
    }
    predictions
        .score(pixels, images.size(), TRANSPORT)
        .whenComplete(
            (scored, error) -> {
              if (error != null) {
                responses.onError(status(error).asRuntimeException());
              } else {
                responses.onNext(answer.build(scored, topK));
                responses.onCompleted();
              }
            });
  }

  private static Status status(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof InvalidFieldException invalid) {
      return Status.INVALID_ARGUMENT.withDescription(invalid.field() + ": " + invalid.getMessage());
    }
    if (cause instanceof TooLargeException || cause instanceof OverloadedException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage());
    }
    if (cause instanceof NoModelException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage());
    }
    return Status.INTERNAL.withDescription("prediction failed; see the service log");
  }

  private static ModelVersion toProto(dev.nin.inference.models.ModelVersion version) {
    var proto =
        ModelVersion.newBuilder()
            .setCheckpointId(version.checkpointId())
            .setRunId(version.runId())
            .setEpoch(version.epoch())
            .setStep(version.step())
            .setSha256(version.sha256());
    if (version.testTop1() != null) {
      proto.setTestTop1(version.testTop1());
    }
    return proto.build();
  }

  private static Prediction toProto(float[] probabilities, int topK) {
    var prediction = Prediction.newBuilder();
    for (ClassScore score : ClassScore.top(probabilities, topK)) {
      prediction.addTop(
          dev.nin.contracts.v1.ClassScore.newBuilder()
              .setLabel(score.label())
              .setName(score.name())
              .setProbability(score.probability()));
    }
    return prediction.build();
  }
}
