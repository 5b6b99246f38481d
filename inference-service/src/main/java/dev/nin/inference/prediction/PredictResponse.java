package dev.nin.inference.prediction;

import dev.nin.inference.models.ModelVersion;
import java.util.List;

/** What {@code POST /api/predict} answers: the model that answered, and one entry an image. */
public record PredictResponse(ModelVersion model, List<ImagePrediction> predictions) {

  /** The top classes of one image, best first. */
  public record ImagePrediction(List<ClassScore> top) {}

  static PredictResponse of(ScoredImages scored, int topK) {
    return new PredictResponse(
        scored.version(),
        java.util.Arrays.stream(scored.probabilities())
            .map(row -> new ImagePrediction(ClassScore.top(row, topK)))
            .toList());
  }
}
