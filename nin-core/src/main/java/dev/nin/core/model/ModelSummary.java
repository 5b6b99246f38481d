package dev.nin.core.model;

import java.util.List;
import java.util.Locale;

/**
 * The resource accounting of the chapter's exercise 3: parameters, computation and memory, per
 * layer and in total, for one input size. {@link #paddleTable()} prints the seed's {@code
 * paddle.summary(NiN, (1, 1, 224, 224))} table.
 */
public record ModelSummary(NinConfig config, List<LayerShape> layers) {

  private static final double MB = 1024.0 * 1024.0;
  private static final int FLOAT_BYTES = 4;

  public ModelSummary {
    layers = List.copyOf(layers);
  }

  public static ModelSummary of(NinConfig config) {
    return new ModelSummary(config, ShapeWalk.layers(config.architecture(), config.resize()));
  }

  public long totalParams() {
    return layers.stream().mapToLong(LayerShape::params).sum();
  }

  /** Multiply-adds of one image's forward pass (convolutions; pooling and ReLU are comparisons). */
  public long multiplyAddsPerImage() {
    return layers.stream().mapToLong(LayerShape::multiplyAdds).sum();
  }

  /** Floating-point operations of one image's forward pass: two per multiply-add. */
  public long flopsPerImage() {
    return 2 * multiplyAddsPerImage();
  }

  /**
   * Training FLOPs per image: forward, plus backward ≈ twice the forward (the usual convention).
   */
  public long trainingFlopsPerImage() {
    return 3 * flopsPerImage();
  }

  /** Output values of all layers for one image (what the forward pass keeps for the backward). */
  public long activationsPerImage() {
    return layers.stream().mapToLong(LayerShape::outputElements).sum();
  }

  public double inputMegabytes() {
    return (double) config.resize() * config.resize() * FLOAT_BYTES / MB;
  }

  /** As paddle counts it: every layer's output, twice (values and gradients), for one image. */
  public double forwardBackwardMegabytes() {
    return 2.0 * activationsPerImage() * FLOAT_BYTES / MB;
  }

  public double paramsMegabytes() {
    return totalParams() * FLOAT_BYTES / MB;
  }

  /**
   * Estimated memory to train a batch: weights, gradients and Adam's two moments (4× the
   * parameters), plus activations and their gradients for every image of the batch, plus the input.
   */
  public double trainingMegabytes(int batchSize) {
    return 4 * paramsMegabytes() + batchSize * (forwardBackwardMegabytes() + inputMegabytes());
  }

  /**
   * Estimated memory to predict one image: the weights plus the largest input-and-output pair of a
   * layer (a forward pass without gradients frees each activation once used).
   */
  public double predictionMegabytes() {
    long peak = 0;
    long input = (long) config.resize() * config.resize();
    for (LayerShape layer : layers) {
      peak = Math.max(peak, input + layer.outputElements());
      input = layer.outputElements();
    }
    return paramsMegabytes() + peak * FLOAT_BYTES / MB;
  }

  /** The seed's table, character for character (paddle's column widths and centring). */
  public String paddleTable() {
    var out = new StringBuilder();
    String rule = "-".repeat(79);
    String doubleRule = "=".repeat(79);
    out.append(rule).append('\n');
    out.append(row("Layer (type)", "Input Shape", "Output Shape", "Param #")).append('\n');
    out.append(doubleRule).append('\n');
    for (LayerShape layer : layers) {
      out.append(
              row(
                  layer.name(),
                  "[" + shape(layer.inputShape()) + "]",
                  shape(layer.outputShape()),
                  String.format(Locale.ROOT, "%,d", layer.params())))
          .append('\n');
    }
    out.append(doubleRule).append('\n');
    out.append(String.format(Locale.ROOT, "Total params: %,d%n", totalParams()));
    out.append(String.format(Locale.ROOT, "Trainable params: %,d%n", totalParams()));
    out.append("Non-trainable params: 0\n");
    out.append(rule).append('\n');
    out.append(String.format(Locale.ROOT, "Input size (MB): %.2f%n", inputMegabytes()));
    out.append(
        String.format(
            Locale.ROOT, "Forward/backward pass size (MB): %.2f%n", forwardBackwardMegabytes()));
    out.append(String.format(Locale.ROOT, "Params size (MB): %.2f%n", paramsMegabytes()));
    out.append(
        String.format(
            Locale.ROOT,
            "Estimated Total Size (MB): %.2f%n",
            inputMegabytes() + forwardBackwardMegabytes() + paramsMegabytes()));
    out.append(rule).append('\n');
    return out.toString();
  }

  /** Exercise 3 beside the table: computation per layer and memory for training and prediction. */
  public String resourceTable(int trainingBatch) {
    var out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-18s %-18s %12s %16s %8s%n",
            "Layer",
            "Output",
            "Params",
            "Mult-adds",
            "%"));
    long total = multiplyAddsPerImage();
    for (LayerShape layer : layers) {
      if (layer.params() == 0 && layer.multiplyAdds() == 0) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-18s %-18s %,12d %,16d %7.1f%%%n",
              layer.name(),
              shape(layer.outputShape()),
              layer.params(),
              layer.multiplyAdds(),
              100.0 * layer.multiplyAdds() / total));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "resize %d px: %,d parameters, %.1f M multiply-adds = %.2f GFLOP per image forward,"
                + " %.2f GFLOP per image trained%n",
            config.resize(),
            totalParams(),
            total / 1e6,
            flopsPerImage() / 1e9,
            trainingFlopsPerImage() / 1e9));
    out.append(
        String.format(
            Locale.ROOT,
            "memory (estimated): training batch %d %.0f MB, prediction batch 1 %.1f MB%n",
            trainingBatch,
            trainingMegabytes(trainingBatch),
            predictionMegabytes()));
    return out.toString();
  }

  private static String row(String name, String in, String out, String params) {
    return center(name, 19)
        + " "
        + center(in, 20)
        + " "
        + center(out, 20)
        + " "
        + center(params, 15);
  }

  /** Python's {@code format(s, "^w")}: the extra space goes right. */
  static String center(String s, int width) {
    int pad = Math.max(0, width - s.length());
    int left = pad / 2;
    return " ".repeat(left) + s + " ".repeat(pad - left);
  }

  private static String shape(List<Integer> dims) {
    return dims.toString();
  }
}
