package dev.nin.core.export;

import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.graph.NinGraph;
import dev.nin.core.graph.Parameter;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Writes a slim, inference-only SavedModel: a fresh graph without dropout, loss or optimizer,
 * holding just the parameters. Signature {@code serving_default}: input {@code image} (uint8
 * [-1,28,28,1]), outputs {@code probs} and {@code logits} (float32 [-1,classes]), computed in
 * float32. Signature {@code serving_bf16} has the same input and outputs, its feature blocks
 * computing in bfloat16 on bfloat16 copies of the weights stored beside the float32 ones (what
 * {@code nin.inference.precision=bf16} serves). TF Serving and Triton serve {@code serving_default}
 * unless a request names the other.
 */
public final class SavedModelExport {

  public static final String SIGNATURE = "serving_default";
  public static final String SIGNATURE_BF16 = "serving_bf16";
  public static final String TAG = "serve";

  private SavedModelExport() {}

  /** Where a model's lineage (what made it) sits in the SavedModel folder, beside the .pb. */
  public static final String LINEAGE_FILE = "lineage.json";

  /** As {@link #write(NinConfig, List, Path)}, with the model's lineage as a JSON asset. */
  public static void write(
      NinConfig config, List<NamedTensor> parameters, Path directory, byte[] lineageJson) {
    write(config, parameters, directory);
    try {
      Files.write(directory.resolve(LINEAGE_FILE), lineageJson);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the lineage to " + directory, e);
    }
  }

  public static void write(NinConfig config, List<NamedTensor> parameters, Path directory) {
    TensorFlowRuntime.ensureLoaded();
    Map<String, NamedTensor> byName =
        parameters.stream().collect(Collectors.toMap(NamedTensor::name, Function.identity()));
    try (var graph = new Graph()) {
      Ops tf = Ops.create(graph);
      NinGraph net = NinGraph.build(tf, config, null);
      NinGraph bf16 = NinGraph.bfloat16Twin(tf, config, net, "bf16");
      try (var session = new Session(graph)) {
        var values = new ArrayList<TFloat32>();
        try {
          var runner = session.runner();
          for (Parameter p : net.parameters()) {
            NamedTensor t = byName.get(p.name());
            if (t == null) {
              throw new IllegalArgumentException("no value for parameter " + p.name());
            }
            var value =
                TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false));
            values.add(value);
            // Fed through a placeholder: a constant would copy every weight into the graph.
            var feed = tf.placeholder(TFloat32.class);
            runner.feed(feed, value).addTarget(tf.assign(p.variable(), feed));
          }
          runner.run();
        } finally {
          values.forEach(TFloat32::close);
        }
        // then the bfloat16 signature's stored copies, from the weights just set
        var copies = session.runner();
        bf16.storeCopies().forEach(copies::addTarget);
        copies.run();
        var signature =
            Signature.builder()
                .key(SIGNATURE)
                .input(NinGraph.INPUT_NAME, net.images())
                .output(NinGraph.PROBS_NAME, net.probs())
                .output(NinGraph.LOGITS_NAME, net.logits())
                .build();
        var bf16Signature =
            Signature.builder()
                .key(SIGNATURE_BF16)
                .input(NinGraph.INPUT_NAME, bf16.images())
                .output(NinGraph.PROBS_NAME, bf16.probs())
                .output(NinGraph.LOGITS_NAME, bf16.logits())
                .build();
        Files.createDirectories(directory);
        SavedModelBundle.exporter(directory.toString())
            .withTags(TAG)
            .withSession(session)
            .withSignature(signature)
            .withSignature(bf16Signature)
            .export();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not export the SavedModel to " + directory, e);
    }
  }
}
