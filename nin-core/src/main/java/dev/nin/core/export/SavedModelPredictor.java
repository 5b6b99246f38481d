package dev.nin.core.export;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.nin.contracts.FashionMnist;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An exported NiN SavedModel loaded with DJL's TensorFlow engine, offline. Thread-safe: each call
 * takes its own DJL predictor, which is cheap; the model and its TF session are shared.
 */
public final class SavedModelPredictor implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;
  private final int classes;

  private SavedModelPredictor(ZooModel<NDList, NDList> model, int classes) {
    this.model = model;
    this.classes = classes;
  }

  public static SavedModelPredictor load(Path savedModel, int classes) throws IOException {
    TensorFlowRuntime.ensureLoaded();
    var criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(savedModel)
            .optEngine("TensorFlow")
            .optOption("Tags", SavedModelExport.TAG)
            .optOption("SignatureDefKey", SavedModelExport.SIGNATURE)
            .optTranslator(new NoopTranslator())
            .build();
    try {
      return new SavedModelPredictor(criteria.loadModel(), classes);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("not a loadable SavedModel: " + savedModel + ": " + e.getMessage(), e);
    }
  }

  /**
   * Both outputs of one forward pass, one row an image: the probabilities, and the logits (null for
   * a SavedModel whose signature has no {@code logits} output).
   */
  public record Scores(float[][] probs, float[][] logits) {}

  /** Probabilities for {@code count} raw 28×28 uint8 images, one row per image. */
  public float[][] predict(byte[] pixels, int count) {
    return scores(pixels, count).probs();
  }

  /** Probabilities and logits for {@code count} raw 28×28 uint8 images, in one forward pass. */
  public Scores scores(byte[] pixels, int count) {
    if (pixels.length != count * FashionMnist.PIXELS) {
      throw new IllegalArgumentException(
          count + " images need " + count * FashionMnist.PIXELS + " pixels, got " + pixels.length);
    }
    try (Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager manager = model.getNDManager().newSubManager()) {
      var input =
          manager.create(ByteBuffer.wrap(pixels), new Shape(count, 28, 28, 1), DataType.UINT8);
      input.setName("image");
      NDList output = predictor.predict(new NDList(input));
      var probs = output.get("probs");
      if (probs == null) {
        probs = output.get(0);
      }
      if (!probs.getShape().equals(new Shape(count, classes))) {
        throw new IllegalStateException(
            "the model answers probabilities of shape "
                + probs.getShape()
                + ", expected "
                + new Shape(count, classes));
      }
      var logits = output.get("logits");
      boolean hasLogits = logits != null && logits.getShape().equals(probs.getShape());
      return new Scores(
          rows(probs.toFloatArray(), count), hasLogits ? rows(logits.toFloatArray(), count) : null);
    } catch (TranslateException e) {
      throw new IllegalStateException("prediction failed: " + e.getMessage(), e);
    }
  }

  private float[][] rows(float[] flat, int count) {
    float[][] rows = new float[count][classes];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * classes, rows[i], 0, classes);
    }
    return rows;
  }

  @Override
  public void close() {
    model.close();
  }
}
