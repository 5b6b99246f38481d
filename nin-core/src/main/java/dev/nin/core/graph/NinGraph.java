package dev.nin.core.graph;

import dev.nin.core.model.Layer;
import dev.nin.core.model.NinConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/**
 * The seed's NiN as a TensorFlow graph, built by walking {@link dev.nin.core.model.NinArchitecture}
 * block by block. The graph owns the preprocessing (raw uint8 28×28 → bilinear resize to R → {@code
 * (x - 127.5) / 127.5}), so training and serving feed the same raw pixels. Layout is NHWC, which
 * TensorFlow's CPU kernels require.
 */
public final class NinGraph {

  public static final String INPUT_NAME = "image";
  public static final String PROBS_NAME = "probs";
  public static final String LOGITS_NAME = "logits";

  private final Placeholder<TUint8> images;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> probs;
  private final List<Parameter> parameters;
  private final PlaceholderWithDefault<TFloat32> keepProbability;
  private final List<Op> storeCopies;

  private NinGraph(
      Placeholder<TUint8> images,
      Operand<TFloat32> logits,
      Operand<TFloat32> probs,
      List<Parameter> parameters,
      PlaceholderWithDefault<TFloat32> keepProbability,
      List<Op> storeCopies) {
    this.images = images;
    this.logits = logits;
    this.probs = probs;
    this.parameters = List.copyOf(parameters);
    this.keepProbability = keepProbability;
    this.storeCopies = List.copyOf(storeCopies);
  }

  /**
   * Builds the network.
   *
   * @param dropoutStep when not null, dropout layers are built with a keep-probability placeholder
   *     (default 1: off) and masks seeded by (config seed, this step), so that a restored run draws
   *     the same masks as an uninterrupted one; when null (serving), dropout is left out entirely
   */
  public static NinGraph build(Ops tf, NinConfig config, Operand<TInt64> dropoutStep) {
    return build(tf, config, dropoutStep, false);
  }

  /**
   * Builds the network, the feature blocks computing in bfloat16 when {@code bfloat16} is set.
   *
   * <p>Then the convolutions, ReLUs and max-pools before the dropout read bfloat16 copies of the
   * float32 weights (the casts' gradients carry the updates back to float32, so the weights and
   * Adam's moments stay float32), and everything from the dropout on computes in float32: the
   * classifier block, the average and the softmax. The classifier stays float32 because its logits
   * sit near its bias (10 by default), where bfloat16 resolves only steps of 0.0625: computed in
   * bfloat16, the classes' small differences round away and every image becomes a tie. At 224 px
   * the classifier is 0.1 % of the network's FLOPs, so keeping it float32 costs nothing measurable.
   */
  public static NinGraph build(
      Ops tf, NinConfig config, Operand<TInt64> dropoutStep, boolean bfloat16) {
    Placeholder<TUint8> images =
        tf.withName(INPUT_NAME)
            .placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    return build(tf, config, images, new Builder(tf, config, dropoutStep, null), bfloat16);
  }

  /**
   * A second forward pass over {@code net}'s input and weights, computing in bfloat16 under {@code
   * scope} (its outputs {@code <scope>/logits} and {@code <scope>/probs}). A SavedModel exports it
   * as a second signature. Its feature blocks read bfloat16 variables that {@link #storeCopies()}
   * fills from the float32 weights once, before the export: a served model's weights never change,
   * and casting 2 million of them on every call made one image slower in bfloat16 than in float32
   * (4.0 against 2.4 ms at 96 px). The copies add half the float32 weights' size to the export.
   */
  public static NinGraph bfloat16Twin(Ops tf, NinConfig config, NinGraph net, String scope) {
    var shared = new HashMap<String, Parameter>();
    net.parameters().forEach(p -> shared.put(p.name(), p));
    Ops twin = tf.withSubScope(scope);
    var builder = new Builder(twin, config, null, shared);
    builder.storedCopies = new ArrayList<>();
    return build(twin, config, net.images(), builder, true);
  }

  private static NinGraph build(
      Ops tf, NinConfig config, Placeholder<TUint8> images, Builder builder, boolean bfloat16) {
    Operand<TFloat32> x = builder.preprocess(images);
    List<Layer> layers = config.architecture().layers();
    int features = bfloat16 ? featureLayers(layers) : 0;
    if (features > 0) {
      Operand<TBfloat16> h = tf.withSubScope("to_bfloat16").dtypes.cast(x, TBfloat16.class);
      for (Layer layer : layers.subList(0, features)) {
        h = builder.apply(layer, h, TBfloat16.class);
      }
      x = tf.withSubScope("to_float32").dtypes.cast(h, TFloat32.class);
    }
    for (Layer layer : layers.subList(features, layers.size())) {
      x = builder.apply(layer, x, TFloat32.class);
    }
    Operand<TFloat32> logits = tf.withName(LOGITS_NAME).identity(x);
    Operand<TFloat32> probs = tf.withName(PROBS_NAME).nn.softmax(logits);
    return new NinGraph(
        images,
        logits,
        probs,
        builder.parameters,
        builder.keepProbability,
        builder.storedCopies == null ? List.of() : builder.storedCopies);
  }

  /**
   * The ops that fill a bfloat16 twin's stored weight copies from the float32 weights: run them
   * once after the weights are set (empty for any other graph).
   */
  public List<Op> storeCopies() {
    return storeCopies;
  }

  public Placeholder<TUint8> images() {
    return images;
  }

  public Operand<TFloat32> logits() {
    return logits;
  }

  public Operand<TFloat32> probs() {
    return probs;
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** Fed with 1 - dropout while training; null in a serving graph. */
  public PlaceholderWithDefault<TFloat32> keepProbability() {
    return keepProbability;
  }

  /** How many leading layers are NiN blocks and max-pools, before the dropout or the classifier. */
  static int featureLayers(List<Layer> layers) {
    int lastBlock = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Layer.NinBlock) {
        lastBlock = i;
      }
    }
    int n = 0;
    while (n < lastBlock
        && (layers.get(n) instanceof Layer.NinBlock || layers.get(n) instanceof Layer.MaxPool)) {
      n++;
    }
    return n;
  }

  public long parameterCount() {
    return parameters.stream().mapToLong(p -> p.shape().size()).sum();
  }

  /**
   * A 1×1 convolution in float32 as what it is, one matrix product: (N·H·W, C) × (C, out), then
   * bias and ReLU, reshaped back to (N, H, W, out). The weights keep the convolution's (1, 1, C,
   * out) shape, so checkpoints and an export's weights and interface do not change. Why: on this
   * project's CPU oneDNN's float32 MatMul runs these shapes faster than its 1×1 Conv2D (a training
   * step at 96 px took about a tenth less, docs/performance.md), while in bfloat16 its Conv2D is
   * the faster kernel, so bfloat16 layers keep the convolution.
   */
  static Operand<TFloat32> oneByOneAsMatMul(
      Ops s, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
    long in = kernel.shape().size(2);
    long out = kernel.shape().size(3);
    var pixels = s.reshape(x, s.constant(new long[] {-1, in}));
    var weights = s.reshape(kernel, s.constant(new long[] {in, out}));
    var activations = s.nn.relu(s.nn.biasAdd(s.linalg.matMul(pixels, weights), bias));
    var nhw =
        s.slice(s.shape(x, TInt64.class), s.constant(new long[] {0}), s.constant(new long[] {3}));
    return s.reshape(
        activations, s.concat(List.of(nhw, s.constant(new long[] {out})), s.constant(0)));
  }

  private static final class Builder {
    final Ops tf;
    final NinConfig config;
    final Operand<TInt64> dropoutStep;
    final List<Parameter> parameters = new ArrayList<>();

    /** Another graph's parameters to compute with, by name; null: this graph creates its own. */
    final Map<String, Parameter> shared;

    PlaceholderWithDefault<TFloat32> keepProbability;

    /** Non-null: weights are read from stored copies in the compute type, filled by these ops. */
    List<Op> storedCopies;

    int channels = 1;
    int block;
    int pool;

    Builder(Ops tf, NinConfig config, Operand<TInt64> dropoutStep, Map<String, Parameter> shared) {
      this.tf = tf;
      this.config = config;
      this.dropoutStep = dropoutStep;
      this.shared = shared;
    }

    /** The named parameter: the shared one, or a new float32 variable. */
    Parameter parameter(Ops s, String name, String prefix, Shape shape, long fanIn, long fanOut) {
      Parameter p =
          shared != null
              ? shared.get(prefix + "/" + name)
              : new Parameter(
                  prefix + "/" + name,
                  shape,
                  s.withName(name).variable(shape, TFloat32.class),
                  fanIn,
                  fanOut);
      if (p == null || !p.shape().equals(shape)) {
        throw new IllegalArgumentException(
            "no shared parameter " + prefix + "/" + name + " " + shape);
      }
      parameters.add(p);
      return p;
    }

    /**
     * The seed's transform: T.Resize(R) (bilinear, half-pixel centres), T.Normalize(127.5, 127.5).
     */
    Operand<TFloat32> preprocess(Operand<TUint8> raw) {
      Ops scope = tf.withSubScope("preprocess");
      var resized =
          scope.image.resizeBilinear(
              raw,
              scope.constant(new int[] {config.resize(), config.resize()}),
              ResizeBilinear.halfPixelCenters(true));
      return scope.math.div(
          scope.math.sub(resized, scope.constant(127.5f)), scope.constant(127.5f));
    }

    /** One layer, computing in {@code type} (dropout and the average only in float32). */
    @SuppressWarnings("unchecked")
    <T extends TNumber> Operand<T> apply(Layer layer, Operand<T> x, Class<T> type) {
      if (layer instanceof Layer.NinBlock b) {
        return ninBlock(b, x, type);
      } else if (layer instanceof Layer.MaxPool p) {
        pool++;
        return maxPool(tf.withSubScope("pool" + pool), x, p.window(), p.stride());
      } else if (layer instanceof Layer.Dropout d && type == TFloat32.class) {
        return (Operand<T>) dropout(d.rate(), (Operand<TFloat32>) x);
      } else if (layer instanceof Layer.GlobalAvgPool && type == TFloat32.class) {
        return tf.withSubScope("global_avg_pool").math.mean(x, tf.constant(new int[] {1, 2}));
      } else if (layer instanceof Layer.Flatten) {
        return x; // the mean above already yields (N, C)
      }
      throw new IllegalArgumentException("unknown layer " + layer);
    }

    /**
     * TensorFlow's first MaxPool op, window and strides as attributes. TF Java's {@code nn.maxPool}
     * builds MaxPoolV2 (window and strides as tensors), which oneDNN does not take over: its
     * gradient then runs in Eigen, and in bfloat16 that gradient alone was 10 % of a training step
     * at 224 px (nin.sh profile). MaxPool and its gradient run in oneDNN.
     */
    <T extends TNumber> Operand<T> maxPool(Ops scope, Operand<T> x, int window, int stride) {
      return scope
          .scope()
          .opBuilder("MaxPool", "MaxPool")
          .addInput(x.asOutput())
          .setAttr("ksize", new long[] {1, window, window, 1})
          .setAttr("strides", new long[] {1, stride, stride, 1})
          .setAttr("padding", "VALID")
          .build()
          .<T>output(0);
    }

    /** nin_block: conv(k, stride, padding) + ReLU, then n × (conv 1×1 + ReLU). */
    <T extends TNumber> Operand<T> ninBlock(Layer.NinBlock b, Operand<T> x, Class<T> type) {
      block++;
      Ops scope = tf.withSubScope("block" + block);
      x = conv(scope, "conv0", x, type, b.outChannels(), b.kernel(), b.stride(), b.padding());
      for (int i = 1; i <= config.oneByOneConvs(); i++) {
        x = conv(scope, "conv" + i, x, type, b.outChannels(), 1, 1, 0);
      }
      return x;
    }

    @SuppressWarnings("unchecked")
    <T extends TNumber> Operand<T> conv(
        Ops scope,
        String name,
        Operand<T> x,
        Class<T> type,
        int out,
        int k,
        int stride,
        int padding) {
      Ops s = scope.withSubScope(name);
      String prefix = "block" + block + "/" + name;
      var kernel =
          parameter(
                  s,
                  "kernel",
                  prefix,
                  Shape.of(k, k, channels, out),
                  (long) k * k * channels,
                  (long) k * k * out)
              .variable();
      var bias = parameter(s, "bias", prefix, Shape.of(out), 1, 1).variable();
      if (k == 1 && stride == 1 && padding == 0 && type == TFloat32.class) {
        channels = out;
        return (Operand<T>) oneByOneAsMatMul(s, (Operand<TFloat32>) x, kernel, bias);
      }
      String mode = padding == 0 ? "VALID" : "SAME";
      if (padding > 0 && !(stride == 1 && k % 2 == 1 && padding == (k - 1) / 2)) {
        // Explicit zero padding + VALID for paddings SAME cannot express (the C++ Conv2D
        // gradient ignores EXPLICIT paddings). The seed's padded convolutions all have stride 1
        // and padding (k-1)/2, which SAME computes without copying the activations.
        x =
            s.pad(
                x,
                s.constant(new int[][] {{0, 0}, {padding, padding}, {padding, padding}, {0, 0}}),
                s.zeros(s.constant(new int[0]), type));
        mode = "VALID";
      }
      var convolved =
          s.nn.conv2d(
              x,
              computeIn(s, "kernel", kernel, type),
              List.of(1L, (long) stride, (long) stride, 1L),
              mode);
      channels = out;
      return s.nn.relu(s.nn.biasAdd(convolved, computeIn(s, "bias", bias, type)));
    }

    /**
     * The float32 weight itself; or in another compute type, a cast of it (whose gradient casts
     * back), or for a serving twin a stored copy in that type.
     */
    @SuppressWarnings("unchecked")
    <T extends TNumber> Operand<T> computeIn(
        Ops s, String name, Variable<TFloat32> weight, Class<T> type) {
      if (type == TFloat32.class) {
        return (Operand<T>) weight;
      }
      if (storedCopies == null) {
        return s.dtypes.cast(weight, type);
      }
      Variable<T> copy = s.withName(name + "_bfloat16").variable(weight.shape(), type);
      storedCopies.add(s.assign(copy, s.dtypes.cast(weight, type)));
      return copy;
    }

    /** Inverted dropout with stateless masks: x · floor(keep + U[0,1)) / keep. */
    Operand<TFloat32> dropout(double rate, Operand<TFloat32> x) {
      if (dropoutStep == null || rate == 0) {
        return x;
      }
      Ops s = tf.withSubScope("dropout");
      keepProbability =
          s.withName("keep_probability").placeholderWithDefault(s.constant(1f), Shape.scalar());
      Operand<TInt64> seed = s.stack(List.of(s.constant(config.seed()), dropoutStep));
      var uniform = s.random.statelessRandomUniform(s.shape(x), seed, TFloat32.class);
      var mask = s.math.floor(s.math.add(keepProbability, uniform));
      return s.math.div(s.math.mul(x, mask), keepProbability);
    }
  }
}
