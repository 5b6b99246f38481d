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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * An exported NiN SavedModel loaded with DJL's TensorFlow engine, offline. Thread-safe: each call
 * takes its own DJL predictor, which is cheap; the model and its TF session are shared.
 */
public final class SavedModelPredictor implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;
  private final int classes;
  private final boolean bfloat16;

  private SavedModelPredictor(ZooModel<NDList, NDList> model, int classes, boolean bfloat16) {
    this.model = model;
    this.classes = classes;
    this.bfloat16 = bfloat16;
  }

  /** The model's float32 signature, {@code serving_default}. */
  public static SavedModelPredictor load(Path savedModel, int classes) throws IOException {
    return load(savedModel, classes, false);
  }

  /**
   * The model's bfloat16 signature when {@code bfloat16} is set and the SavedModel has one (models
   * exported before it existed have only {@code serving_default}, which then serves); else its
   * float32 one.
   */
  public static SavedModelPredictor load(Path savedModel, int classes, boolean bfloat16)
      throws IOException {
    TensorFlowRuntime.ensureLoaded();
    boolean inBfloat16 =
        bfloat16 && signatures(savedModel).contains(SavedModelExport.SIGNATURE_BF16);
    var criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(savedModel)
            .optEngine("TensorFlow")
            .optOption("Tags", SavedModelExport.TAG)
            .optOption(
                "SignatureDefKey",
                inBfloat16 ? SavedModelExport.SIGNATURE_BF16 : SavedModelExport.SIGNATURE)
            .optTranslator(new NoopTranslator())
            .build();
    try {
      return new SavedModelPredictor(criteria.loadModel(), classes, inBfloat16);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("not a loadable SavedModel: " + savedModel + ": " + e.getMessage(), e);
    }
  }

  /** The signature keys of the SavedModel's {@code serve} graph (empty when it has none). */
  public static Set<String> signatures(Path savedModel) throws IOException {
    Path pb = savedModel.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      return Set.of();
    }
    // Only methods whose signatures name no protobuf type (getTags(i), not getTagsList()): in
    // Quarkus the TensorFlow protos load in the application class loader and protobuf in
    // Quarkus's, and the JVM refuses a call whose signature would tie the two together.
    var keys = new java.util.TreeSet<String>();
    try (var in = Files.newInputStream(pb)) {
      for (MetaGraphDef graph : SavedModel.parseFrom(in).getMetaGraphsList()) {
        var info = graph.getMetaInfoDef();
        for (int i = 0; i < info.getTagsCount(); i++) {
          if (info.getTags(i).equals(SavedModelExport.TAG)) {
            keys.addAll(graph.getSignatureDefMap().keySet());
          }
        }
      }
    }
    return Set.copyOf(keys);
  }

  /** True when this predictor serves the bfloat16 signature. */
  public boolean bfloat16() {
    return bfloat16;
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
