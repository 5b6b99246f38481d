package dev.nin.inference.oip;

import dev.nin.contracts.FashionMnist;
import dev.nin.inference.models.ActiveModel;
import dev.nin.inference.models.ModelVersion;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one model this server offers over the Open Inference Protocol, for both transports: its name,
 * tensors, versions (a version is a checkpoint id) and the checks every call makes.
 */
final class OipModel {

  static final String NAME = "nin";
  static final String PLATFORM = "tensorflow_savedmodel";
  static final String SERVER = "nin-inference";
  static final String PROBS = "probs";
  static final String LOGITS = "logits";
  static final List<String> OUTPUTS = List.of(PROBS, LOGITS);
  static final List<Long> INPUT_SHAPE =
      List.of(-1L, (long) FashionMnist.HEIGHT, (long) FashionMnist.WIDTH, 1L);
  static final List<Long> OUTPUT_SHAPE = List.of(-1L, (long) FashionMnist.CLASS_COUNT);

  private OipModel() {}

  static void requireModel(String model) {
    if (!NAME.equals(model)) {
      throw new OipException(404, "unknown model '" + model + "': this server serves 'nin'");
    }
  }

  /**
   * The serving version when {@code version} is empty or names it. Other versions are a 404 until
   * versions load on demand.
   */
  static ModelVersion requireServing(ActiveModel active, String version) {
    var serving = active.version();
    if (serving.isPresent()
        && (version == null
            || version.isEmpty()
            || version.equals(String.valueOf(serving.get().checkpointId())))) {
      return serving.get();
    }
    if (serving.isEmpty() && (version == null || version.isEmpty())) {
      throw new OipException(503, "no model serves yet");
    }
    throw new OipException(
        404,
        "version '"
            + version
            + "' of model nin is not serving"
            + serving.map(v -> " (serving: " + v.checkpointId() + ")").orElse(" (none is)"));
  }

  /**
   * The checkpoint id a request names when it is not the serving one; empty for the serving model
   * (no version, or the serving one's). A version that is no number is no checkpoint: 404.
   */
  static java.util.OptionalLong otherVersion(ActiveModel active, String version) {
    if (version == null || version.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    var serving = active.version();
    if (serving.isPresent() && version.equals(String.valueOf(serving.get().checkpointId()))) {
      return java.util.OptionalLong.empty();
    }
    try {
      long id = Long.parseLong(version);
      if (id > 0) {
        return java.util.OptionalLong.of(id);
      }
    } catch (NumberFormatException notANumber) {
      // below
    }
    throw new OipException(404, "version '" + version + "' of model nin does not exist");
  }

  /** The outputs a request asks for, in the model's order; both when it names none. */
  static Set<String> outputs(List<String> requested) {
    if (requested.isEmpty()) {
      return new LinkedHashSet<>(OUTPUTS);
    }
    if (requested.size() > OUTPUTS.size()) {
      throw new OipException(400, "'outputs' lists up to two of 'probs' and 'logits'");
    }
    var names = new LinkedHashSet<String>();
    for (String name : requested) {
      if (!OUTPUTS.contains(name)) {
        throw new OipException(
            400, "unknown output '" + name + "': model nin has 'probs' and 'logits'");
      }
      names.add(name);
    }
    return names;
  }
}
