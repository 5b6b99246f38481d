package dev.nin.core.cli;

import dev.nin.core.model.Chapter;
import dev.nin.core.model.LayerShape;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import dev.nin.core.training.Batch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.SyntheticBatches;
import dev.nin.core.training.TrainingConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * {@code nin.sh profile}: where a training step's time goes, from TensorFlow's own trace of every
 * kernel (RunOptions FULL_TRACE). The benchmark says how far a step is from the ceiling; this says
 * which layers and kernels make up the gap. Times are per step, averaged over the traced steps;
 * each convolution's forward and backward kernels are set against their FLOPs, so a layer far below
 * the ceiling stands out.
 */
final class StepProfile {

  /** The layer a kernel belongs to, from the scopes NinGraph gives it. */
  private static final Pattern LAYER =
      Pattern.compile(
          "(block\\d+/conv\\d+|pool\\d+|preprocess|global_avg_pool|dropout|to_bfloat16|to_float32)");

  /** A max-pool's scope among a gradient kernel's inputs. */
  private static final Pattern POOL = Pattern.compile("pool\\d+");

  /** A kernel's type from its timeline label, {@code "name = Type(inputs)"}. */
  private static final Pattern OP_TYPE = Pattern.compile("= ([A-Za-z0-9_]+)\\(");

  private StepProfile() {}

  static void run(String[] argv, PrintStream out) throws Exception {
    var args =
        new Args(argv, 1, Set.of("resize", "precision", "steps", "batch-size", "top"), Set.of());
    int size = args.getInt("resize", 224);
    Precision precision = Precision.parse(args.get("precision", "fp32"));
    int steps = args.getInt("steps", 5);
    int batchSize = args.getInt("batch-size", Chapter.BATCH_SIZE);
    int top = args.getInt("top", 25);
    TensorFlowRuntime.ensureLoaded();

    var config = NinConfig.chapter().withResize(size);
    Batch batch = SyntheticBatches.batch(batchSize, size);
    var trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    var byKernel = new LinkedHashMap<String, Double>();
    var byNode = new LinkedHashMap<String, Double>();
    var byLayer = new LinkedHashMap<String, Double>();
    double wallMillis = 0;
    double untracedMillis;
    boolean bfloat16;
    try (var trainer =
        NinTrainer.create(config, TrainingConfig.chapter().withPrecision(precision))) {
      for (int i = 0; i < 3; i++) {
        trainer.trainStep(batch); // graph optimisation, allocator growth
      }
      long untracedStart = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainer.trainStep(batch);
      }
      untracedMillis = (System.nanoTime() - untracedStart) / 1e6 / steps;
      bfloat16 = trainer.precision().bfloat16();
      for (int i = 0; i < steps; i++) {
        long start = System.nanoTime();
        RunMetadata metadata = trainer.trainStep(batch, trace).metadata();
        wallMillis += (System.nanoTime() - start) / 1e6;
        for (var device : metadata.getStepStats().getDevStatsList()) {
          var nodes = device.getNodeStatsList();
          var layers = gradientLayers(nodes);
          for (NodeExecStats node : nodes) {
            double millis = (node.getOpEndRelMicros() - node.getOpStartRelMicros()) / 1e3;
            String name = node.getNodeName();
            boolean backward = name.startsWith("gradients/");
            String layer = backward ? layers.getOrDefault(name, "other") : layer(name);
            byKernel.merge(opType(node), millis, Double::sum);
            byNode.merge(node.getTimelineLabel(), millis, Double::sum);
            byLayer.merge(layer + (backward ? " backward" : " forward"), millis, Double::sum);
          }
        }
      }
    }
    double kernelMillis = byKernel.values().stream().mapToDouble(Double::doubleValue).sum() / steps;
    // the yardstick of the convolution table, measured now: the benchmark's ceiling convolution
    double ceiling =
        bfloat16
            ? Benchmark.convGflops(3, TBfloat16.class)
            : Benchmark.convGflops(3, TFloat32.class);
    out.printf(
        Locale.ROOT,
        "NiN at %d px, batch %d, %s: %.1f ms a step untraced, %.1f ms traced (wall, %d steps),"
            + " %.1f ms in kernels (summed over threads; above the wall time where kernels"
            + " overlap); ceiling convolution (block 2's 5×5 alone, batch 32) %.0f GFLOP/s%n%n",
        size,
        batchSize,
        bfloat16 ? "bf16" : "fp32",
        untracedMillis,
        wallMillis / steps,
        steps,
        kernelMillis,
        ceiling);
    print(out, "kernel type", byKernel, steps, kernelMillis, top);
    print(out, "layer and pass", byLayer, steps, kernelMillis, top);
    print(out, "kernel", byNode, steps, kernelMillis, top);
    convolutions(out, config, batchSize, byLayer, steps);
  }

  private static String opType(NodeExecStats node) {
    Matcher m = OP_TYPE.matcher(node.getTimelineLabel());
    return m.find() ? m.group(1) : node.getNodeName();
  }

  /**
   * The layer of each gradient kernel. Their names are numbered ({@code
   * gradients/Gradients/Conv2DBackpropFilter_8}), so the layer is read from their inputs: a ReLU's
   * gradient takes the ReLU's output, an input gradient the layer's kernel, a max-pool's gradient
   * the pool's output, and a filter or bias gradient takes the gradient of its layer's ReLU. A 1×1
   * convolution computed as a matrix product (float32) has two MatMul gradients, each taking one of
   * the layer's own tensors: the flattened input or the reshaped kernel.
   */
  private static Map<String, String> gradientLayers(List<NodeExecStats> nodes) {
    var layers = new LinkedHashMap<String, String>();
    var filterGradients = new LinkedHashMap<String, String>();
    for (NodeExecStats node : nodes) {
      String type = opType(node);
      String label = node.getTimelineLabel();
      String inputs = label.substring(label.indexOf('(') + 1);
      if (type.contains("ReluGrad")
          || type.contains("Conv2DBackpropInput")
          || type.contains("MatMul")) {
        layers.put(node.getNodeName(), layer(inputs.replaceAll("gradients/\\S+", "")));
      } else if (type.contains("MaxPoolGrad")) {
        Matcher pool = POOL.matcher(inputs);
        layers.put(node.getNodeName(), pool.find() ? pool.group() : "other");
      } else if (type.contains("Conv2DBackpropFilter") || type.contains("BiasAddGrad")) {
        String[] args = inputs.replace(")", "").split(",\\s*");
        filterGradients.put(node.getNodeName(), args[args.length - 1]);
      }
    }
    filterGradients.forEach(
        (name, reluGradient) -> layers.put(name, layers.getOrDefault(reluGradient, "other")));
    return layers;
  }

  private static String layer(String nodeName) {
    Matcher m = LAYER.matcher(nodeName);
    return m.find() ? m.group(1) : "other";
  }

  private static void print(
      PrintStream out,
      String heading,
      Map<String, Double> millis,
      int steps,
      double kernelMillis,
      int top) {
    out.printf(Locale.ROOT, "| %s | ms a step | share |%n| --- | --- | --- |%n", heading);
    millis.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.3f |%n",
                    e.getKey(),
                    e.getValue() / steps,
                    e.getValue() / steps / kernelMillis));
    out.println();
  }

  /**
   * Each convolution's achieved GFLOP/s in its forward kernels and in its backward kernels (the
   * gradients of the input, but for the first layer, whose input needs none, and of the filter).
   * The layer's time includes its bias add, ReLU and casts, as the trace groups them by scope.
   */
  private static void convolutions(
      PrintStream out, NinConfig config, int batchSize, Map<String, Double> byLayer, int steps) {
    List<LayerShape> convs = new ArrayList<>();
    for (LayerShape l : ModelSummary.of(config).layers()) {
      if (l.kind().equals("Conv2D")) {
        convs.add(l);
      }
    }
    int perBlock = config.oneByOneConvs() + 1;
    out.println(
        "| convolution | kernel | forward GFLOP | forward ms | forward GFLOP/s | backward ms |"
            + " backward GFLOP/s |");
    out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < convs.size(); i++) {
      LayerShape l = convs.get(i);
      String name = "block" + (i / perBlock + 1) + "/conv" + (i % perBlock);
      double forwardFlop = 2.0 * l.multiplyAdds() * batchSize;
      double backwardFlop = forwardFlop * (i == 0 ? 1 : 2);
      double forward = byLayer.getOrDefault(name + " forward", 0.0) / steps;
      double backward = byLayer.getOrDefault(name + " backward", 0.0) / steps;
      out.printf(
          Locale.ROOT,
          "| %s | %d×%d/%d | %.2f | %.2f | %.0f | %.2f | %.0f |%n",
          name,
          l.kernel(),
          l.kernel(),
          l.stride(),
          forwardFlop / 1e9,
          forward,
          forward > 0 ? forwardFlop / forward / 1e6 : 0,
          backward,
          backward > 0 ? backwardFlop / backward / 1e6 : 0);
    }
  }
}
