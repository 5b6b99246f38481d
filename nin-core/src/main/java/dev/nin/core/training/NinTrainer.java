package dev.nin.core.training;

import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.checkpoint.WeightsDigest;
import dev.nin.core.graph.NinGraph;
import dev.nin.core.graph.Parameter;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.NativeCleanup;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * Trains the seed's NiN with TensorFlow's graph API: softmax cross-entropy on integer labels, Adam
 * (or SGD), top-1/top-5 accuracy, in one TF session. Batches come from any iterator, so the same
 * code trains from memory (the CLI, the benchmark) and from Kafka (trainer-service).
 *
 * <p>Not thread-safe: one thread drives a trainer.
 */
public final class NinTrainer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NinTrainer.class);
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;
  private static final String AVERAGE_SUFFIX = "/average";
  private static final String ADAM_M = "adam_m";
  private static final String ADAM_V = "adam_v";

  private final NinConfig model;
  private final TrainingConfig training;
  private final Graph graph;
  private final Session session;
  private final NinGraph net;
  private final Placeholder<TUint8> labels;
  private final PlaceholderWithDefault<TFloat32> labelSmoothing;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> top1Correct;
  private final Operand<TFloat32> top5Correct;
  private final Operand<TInt64> trainOp;
  private final Variable<TInt64> globalStep;

  /** Every variable of the state, in checkpoint order: parameters, then optimizer slots. */
  private final Map<String, Variable<? extends org.tensorflow.types.family.TType>> stateVariables;

  /** Each parameter's moving average, by the parameter's name (empty without averaging). */
  private final Map<String, Variable<TFloat32>> averages = new LinkedHashMap<>();

  private final Map<String, Placeholder<TFloat32>> assignFeeds = new LinkedHashMap<>();
  private final Map<String, Op> assignOps = new LinkedHashMap<>();
  private final Placeholder<TInt64> stepFeed;
  private final Op assignStep;
  private final Device device;

  /** The precision computed in: the configured one, {@code auto} resolved for this hardware. */
  private final Precision precision;

  private NinTrainer(NinConfig model, TrainingConfig training, NativeCleanup.Opened natives) {
    TensorFlowRuntime.ensureLoaded();
    this.model = model;
    this.training = training;
    this.device = Device.select(training.device());
    // only auto asks the hardware (on a GPU host that runs nvidia-smi)
    this.precision =
        training.precision() == Precision.AUTO
            ? Precision.AUTO.resolve(HardwareFeatures.of(device))
            : training.precision();
    this.graph = new Graph();
    Session opened = null;
    try {
      Ops tf = Ops.create(graph);

      globalStep = tf.withName("global_step").variable(Shape.scalar(), TInt64.class);
      net = NinGraph.build(tf, model, globalStep, precision.bfloat16());
      labels = tf.withName("labels").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1)));

      Ops lossScope = tf.withSubScope("loss");
      var oneHot =
          lossScope.oneHot(
              labels,
              lossScope.constant(model.classes()),
              lossScope.constant(1f),
              lossScope.constant(0f));
      // Label smoothing, fed only by a training step: evaluation keeps its default 0, so the
      // losses it reports are against the one-hot labels whatever the run trains with.
      labelSmoothing =
          lossScope
              .withName("label_smoothing")
              .placeholderWithDefault(lossScope.constant(0f), Shape.scalar());
      var targets = LabelSmoothing.targets(lossScope, oneHot, labelSmoothing, model.classes());
      // Softmax cross-entropy against the (smoothed) one-hot labels: TF 2.16 registers no C++
      // gradient for the sparse op, while the dense one has it.
      var perImage = lossScope.nn.softmaxCrossEntropyWithLogits(net.logits(), targets).loss();
      loss = lossScope.math.mean(perImage, lossScope.constant(0));

      Ops metrics = tf.withSubScope("metrics");
      top1Correct = TopKHits.count(metrics, net.logits(), oneHot, 1);
      top5Correct = TopKHits.count(metrics, net.logits(), oneHot, Math.min(5, model.classes()));

      stateVariables = new LinkedHashMap<>();
      net.parameters().forEach(p -> stateVariables.put(p.name(), p.variable()));
      if (training.averagesWeights()) {
        for (Parameter p : net.parameters()) {
          String name = p.name() + AVERAGE_SUFFIX;
          var average = tf.withName(name.replace('/', '_')).variable(p.shape(), TFloat32.class);
          averages.put(p.name(), average);
          stateVariables.put(name, average);
        }
      }
      trainOp = buildOptimizer(tf);

      for (var entry : stateVariables.entrySet()) {
        @SuppressWarnings("unchecked")
        var variable = (Variable<TFloat32>) entry.getValue();
        var feed =
            tf.withSubScope("restore")
                .withName(entry.getKey().replace('/', '_'))
                .placeholder(TFloat32.class);
        assignFeeds.put(entry.getKey(), feed);
        assignOps.put(entry.getKey(), tf.assign(variable, feed));
      }
      stepFeed = tf.withSubScope("restore").withName("global_step").placeholder(TInt64.class);
      assignStep = tf.assign(globalStep, stepFeed);

      opened = new Session(graph, device.sessionConfig());
      session = opened;
      natives.opened(graph, opened);
      initialize();
    } catch (RuntimeException | Error e) {
      // the caller never gets a trainer to close: release the native graph and session here
      NativeCleanup.releaseAfter(e, opened, graph);
      throw e;
    }
    LOG.info(
        "NiN at {} px: {} parameters, {} in {} on {}",
        model.resize(),
        net.parameterCount(),
        training.optimizer(),
        precision.id() + (training.precision() == Precision.AUTO ? " (auto)" : ""),
        device.description());
  }

  public static NinTrainer create(NinConfig model, TrainingConfig training) {
    return new NinTrainer(model, training, NativeCleanup.Opened.NOTHING);
  }

  static NinTrainer create(NinConfig model, TrainingConfig training, NativeCleanup.Opened natives) {
    return new NinTrainer(model, training, natives);
  }

  /**
   * The schedule's factor on the warmed-up rate from the global step before the update, as {@link
   * Schedule#factor} computes it: a restored step restores the rate.
   */
  private Operand<TFloat32> scheduleFactor(Ops opt, Schedule schedule, long decaySteps) {
    var done = opt.dtypes.cast(globalStep, TFloat32.class);
    return switch (schedule) {
      case CONSTANT -> opt.constant(1f);
      case COSINE -> {
        var fraction =
            opt.math.div(
                opt.math.minimum(done, opt.constant((float) decaySteps)),
                opt.constant((float) decaySteps));
        var cosine = opt.math.cos(opt.math.mul(fraction, opt.constant((float) Math.PI)));
        yield opt.math.mul(opt.math.add(cosine, opt.constant(1f)), opt.constant(0.5f));
      }
      case STEP -> {
        // milestones compared as integers, exactly as Schedule.factor does
        var first =
            opt.math.greaterEqual(globalStep, opt.constant(Schedule.firstMilestone(decaySteps)));
        var second =
            opt.math.greaterEqual(globalStep, opt.constant(Schedule.secondMilestone(decaySteps)));
        float gamma = (float) Schedule.STEP_GAMMA;
        yield opt.select(
            second,
            opt.constant(gamma * gamma),
            opt.select(first, opt.constant(gamma), opt.constant(1f)));
      }
    };
  }

  private static List<Op> concat(List<? extends Operand<?>> gradients, List<Op> more) {
    var all = new ArrayList<Op>(gradients.size() + more.size());
    gradients.forEach(g -> all.add((Op) g));
    all.addAll(more);
    return all;
  }

  private Operand<TInt64> buildOptimizer(Ops tf) {
    List<Parameter> parameters = net.parameters();
    var gradients = tf.withSubScope("gradients").gradients(loss, variables(parameters));
    // Gate every update on every gradient (TF1's GATE_GRAPH). The parameters are reference
    // variables: without the gate, a layer's update can run before the backward pass has read
    // that layer's weights for the layers below it, and the step then depends on thread timing.
    var grads = new ArrayList<Operand<TFloat32>>();
    for (int i = 0; i < parameters.size(); i++) {
      grads.add(tf.withSubScope("gradients").identity(gradients.<TFloat32>dy(i)));
    }
    Ops opt = tf.withSubScope("optimizer");
    Ops gated = opt.withControlDependencies(grads.stream().map(g -> (Op) g).toList());
    Operand<TFloat32> lr = opt.constant((float) training.learningRate());
    if (training.warmupSteps() > 0) {
      // linear warm-up from the global step, so that a restored step restores the rate too
      var progress =
          opt.math.div(
              opt.dtypes.cast(opt.math.add(globalStep, opt.constant(1L)), TFloat32.class),
              opt.constant((float) training.warmupSteps()));
      lr = opt.math.mul(lr, opt.math.minimum(progress, opt.constant(1f)));
    }
    if (training.decays()) {
      lr = opt.math.mul(lr, scheduleFactor(opt, training.schedule(), training.decaySteps()));
    }
    // Decoupled weight decay (AdamW): each kernel shrinks by lr·λ of itself before the optimizer's
    // update. The decays are gated on every gradient like the updates (the backward pass has read
    // the weights), and every update waits for them, so the step is the same whatever order the
    // threads take.
    List<Op> decayed = new ArrayList<>();
    if (training.weightDecay() > 0) {
      var shrink = opt.math.mul(lr, opt.constant((float) training.weightDecay()));
      for (Parameter p : parameters) {
        if (p.isKernel()) {
          decayed.add(gated.assignSub(p.variable(), gated.math.mul(p.variable(), shrink)));
        }
      }
    }
    gated = gated.withControlDependencies(concat(grads, decayed));
    var updates = new ArrayList<Op>();
    switch (training.optimizer()) {
      case ADAM -> {
        // Bias correction uses beta^t with t = step + 1, derived from the global step so that the
        // step alone restores it.
        var t = opt.dtypes.cast(opt.math.add(globalStep, opt.constant(1L)), TFloat32.class);
        var beta1Power = opt.math.pow(opt.constant(BETA1), t);
        var beta2Power = opt.math.pow(opt.constant(BETA2), t);
        for (int i = 0; i < parameters.size(); i++) {
          Parameter p = parameters.get(i);
          var m = slot(opt, p, ADAM_M);
          var v = slot(opt, p, ADAM_V);
          updates.add(
              gated.train.applyAdam(
                  p.variable(),
                  m,
                  v,
                  beta1Power,
                  beta2Power,
                  lr,
                  opt.constant(BETA1),
                  opt.constant(BETA2),
                  opt.constant(EPSILON),
                  grads.get(i)));
        }
      }
      case SGD -> {
        for (int i = 0; i < parameters.size(); i++) {
          updates.add(
              gated.train.applyGradientDescent(parameters.get(i).variable(), lr, grads.get(i)));
        }
      }
    }
    List<Op> done = updates;
    if (training.averagesWeights()) {
      done = averageAfter(opt, updates);
    }
    return opt.withControlDependencies(done)
        .withName("train")
        .assignAdd(globalStep, opt.constant(1L));
  }

  /**
   * After the updates, each parameter's moving average takes a step towards it: {@code a -= (1 - d)
   * (a - p)}, with d = min(averageDecay, (1 + t) / (10 + t)) from the global step t, so the first
   * steps weigh more while there is little to average (TensorFlow's ExponentialMovingAverage with
   * num_updates). The ramp stays under 0.99 for the first 900 steps: at the end of one epoch of 469
   * steps d is 0.981, a window of about 53 steps, whatever larger decay is asked for. A plain mean
   * ramp, (1 + t) / (2 + t), which reaches 0.99 by step 98, was measured and lost
   * (docs/performance.md).
   */
  private List<Op> averageAfter(Ops opt, List<Op> updates) {
    Ops after = opt.withSubScope("average").withControlDependencies(updates);
    var t = after.dtypes.cast(globalStep, TFloat32.class);
    var warm =
        after.math.div(
            after.math.add(t, after.constant(1f)), after.math.add(t, after.constant(10f)));
    var decay = after.math.minimum(after.constant((float) training.averageDecay()), warm);
    var rate = after.math.sub(after.constant(1f), decay);
    var averaging = new ArrayList<Op>();
    for (Parameter p : net.parameters()) {
      var average = averages.get(p.name());
      averaging.add(
          after.assignSub(average, after.math.mul(rate, after.math.sub(average, p.variable()))));
    }
    return averaging;
  }

  private Variable<TFloat32> slot(Ops tf, Parameter p, String slotName) {
    String name = p.name() + "/" + slotName;
    var slot = tf.withName(name.replace('/', '_')).variable(p.shape(), TFloat32.class);
    stateVariables.put(name, slot);
    return slot;
  }

  private static List<Operand<?>> variables(List<Parameter> parameters) {
    return parameters.stream().<Operand<?>>map(Parameter::variable).toList();
  }

  /** Fresh weights from the config's seed and init; zero optimizer slots and step. */
  private void initialize() {
    var tensors = new ArrayList<NamedTensor>();
    List<Parameter> parameters = net.parameters();
    // the network's last convolution: its ReLU output, pooled, is the logits
    String classifier = parameters.get(parameters.size() - 1).layer();
    int index = 0;
    for (Parameter p : parameters) {
      boolean inClassifier = p.layer().equals(classifier);
      tensors.add(
          new NamedTensor(
              p.name(),
              p.shape().asArray(),
              WeightInitializer.initialValues(
                  p, model.init(), model.seed(), index++, inClassifier)));
    }
    for (Parameter p : averages.isEmpty() ? List.<Parameter>of() : parameters) {
      var initial = tensors.get(parameters.indexOf(p));
      tensors.add(new NamedTensor(p.name() + AVERAGE_SUFFIX, initial.shape(), initial.values()));
    }
    for (var name : stateVariables.keySet()) {
      if (tensors.stream().noneMatch(t -> t.name().equals(name))) {
        var shape = stateVariables.get(name).shape().asArray();
        tensors.add(new NamedTensor(name, shape, new float[(int) Shape.of(shape).size()]));
      }
    }
    assign(0, tensors);
  }

  /** Trains on one batch and returns the loss and accuracy of that forward pass. */
  public StepResult trainStep(Batch batch) {
    return trainStep(batch, null).step();
  }

  /** A training step and, when {@code options} asked for a trace, TensorFlow's record of it. */
  public record TracedStep(StepResult step, RunMetadata metadata) {}

  /**
   * Trains on one batch with TensorFlow's run options; {@code RunOptions.TraceLevel.FULL_TRACE}
   * returns every kernel's start and end (the profile in {@code nin.sh profile}). The step is an
   * ordinary one: the weights, Adam's moments and the global step advance as in {@link
   * #trainStep(Batch)}.
   */
  public TracedStep trainStep(Batch batch, RunOptions options) {
    try (var images = images(batch);
        var labelTensor = labels(batch);
        var keep = TFloat32.scalarOf((float) (1 - model.dropout()));
        var smoothing = TFloat32.scalarOf((float) training.labelSmoothing())) {
      var runner =
          lossAndAccuracy(images, labelTensor).feed(labelSmoothing, smoothing).fetch(trainOp);
      if (net.keepProbability() != null) {
        runner.feed(net.keepProbability(), keep);
      }
      if (options != null) {
        runner.setOptions(options);
      }
      try (Result result = options == null ? runner.run() : runner.runAndFetchMetadata()) {
        long step = ((TInt64) result.get(3)).getLong();
        return new TracedStep(
            new StepResult(
                step,
                batch.size(),
                scalar(result, 0),
                (int) counted(result, 1),
                (int) counted(result, 2)),
            result.getMetadata().orElse(null));
      }
    }
  }

  /**
   * Loss, accuracy and recall per class over every batch of the iterator, dropout off, with the
   * weights the model would serve (the moving average, when the config keeps one).
   */
  public Evaluation evaluate(Iterator<Batch> batches) {
    if (averages.isEmpty()) {
      return evaluateCurrent(batches);
    }
    // the average goes into the parameters for the evaluation, and the last step's weights back
    List<NamedTensor> trained = read(averages.keySet());
    assign(globalStep(), parameters());
    try {
      return evaluateCurrent(batches);
    } finally {
      assign(globalStep(), trained);
    }
  }

  private Evaluation evaluateCurrent(Iterator<Batch> batches) {
    long started = System.nanoTime();
    long images = 0;
    double lossSum = 0;
    long top1 = 0;
    long top5 = 0;
    var classes = ClassRecall.empty(model.classes());
    float[] row = new float[model.classes()];
    while (batches.hasNext()) {
      Batch batch = batches.next();
      try (var imageTensor = images(batch);
          var labelTensor = labels(batch);
          Result result = lossAndAccuracy(imageTensor, labelTensor).fetch(net.logits()).run()) {
        lossSum += scalar(result, 0) * batch.size();
        top1 += counted(result, 1);
        top5 += counted(result, 2);
        images += batch.size();
        var logits = (TFloat32) result.get(3);
        for (int i = 0; i < batch.size(); i++) {
          for (int c = 0; c < row.length; c++) {
            row[c] = logits.getFloat(i, c);
          }
          classes.add(batch.labels()[i] & 0xFF, row);
        }
      }
    }
    if (images == 0) {
      throw new IllegalArgumentException("nothing to evaluate: the iterator had no batch");
    }
    return new Evaluation(
        images,
        lossSum / images,
        (double) top1 / images,
        (double) top5 / images,
        classes,
        (System.nanoTime() - started) / 1e9);
  }

  /** A runner that feeds a batch and fetches loss, top-1 hits and top-5 hits, in that order. */
  private Session.Runner lossAndAccuracy(TUint8 images, TUint8 labelTensor) {
    return session
        .runner()
        .feed(net.images(), images)
        .feed(labels, labelTensor)
        .fetch(loss)
        .fetch(top1Correct)
        .fetch(top5Correct);
  }

  private static double scalar(Result result, int index) {
    return ((TFloat32) result.get(index)).getFloat();
  }

  private static long counted(Result result, int index) {
    return Math.round(((TFloat32) result.get(index)).getFloat());
  }

  /** Class probabilities, one row per image, dropout off. */
  public float[][] predict(Batch batch) {
    try (var imageTensor = images(batch);
        Result result = session.runner().feed(net.images(), imageTensor).fetch(net.probs()).run()) {
      var probs = (TFloat32) result.get(0);
      float[][] rows = new float[batch.size()][model.classes()];
      for (int i = 0; i < rows.length; i++) {
        for (int c = 0; c < model.classes(); c++) {
          rows[i][c] = probs.getFloat(i, c);
        }
      }
      return rows;
    }
  }

  /** The current step, parameters and optimizer state, to save or to continue from. */
  public TrainingState state() {
    return new TrainingState(globalStep(), modelInfo(), read(stateVariables.keySet()));
  }

  /** The optimizer's step counter as the graph holds it (after a restore: the restored step). */
  public long step() {
    return globalStep();
  }

  private long globalStep() {
    try (Result result = session.runner().fetch(globalStep).run()) {
      return ((TInt64) result.get(0)).getLong();
    }
  }

  /** The named state variables' values, fetched in one session run. */
  private List<NamedTensor> read(java.util.Collection<String> names) {
    var runner = session.runner();
    names.forEach(name -> runner.fetch(stateVariables.get(name)));
    try (Result result = runner.run()) {
      var tensors = new ArrayList<NamedTensor>();
      int i = 0;
      for (String name : names) {
        var tensor = (TFloat32) result.get(i++);
        float[] values = new float[(int) tensor.shape().size()];
        tensor.asRawTensor().data().asFloats().read(values);
        tensors.add(new NamedTensor(name, tensor.shape().asArray(), values));
      }
      return tensors;
    }
  }

  /** Continues from a saved state; fails, changing nothing, if it belongs to another model. */
  public void restore(TrainingState state) {
    var expected = modelInfo();
    if (!expected.equals(state.modelInfo())) {
      throw new IllegalArgumentException(
          "the state belongs to another model: " + state.modelInfo() + ", this is " + expected);
    }
    for (var name : stateVariables.keySet()) {
      var tensor = tensorOf(state, name);
      var shape = stateVariables.get(name).shape().asArray();
      if (!Arrays.equals(tensor.shape(), shape)) {
        throw new IllegalArgumentException(
            name
                + " has shape "
                + Arrays.toString(tensor.shape())
                + ", expected "
                + Arrays.toString(shape));
      }
    }
    assign(
        state.step(), stateVariables.keySet().stream().map(name -> tensorOf(state, name)).toList());
  }

  /**
   * The state's tensor by name; a state saved without weight averaging starts each average at its
   * parameter, so a run can resume from it with averaging on.
   */
  private static NamedTensor tensorOf(TrainingState state, String name) {
    if (name.endsWith(AVERAGE_SUFFIX) && !state.has(name)) {
      var parameter = state.tensor(name.substring(0, name.length() - AVERAGE_SUFFIX.length()));
      return new NamedTensor(name, parameter.shape(), parameter.values());
    }
    return state.tensor(name);
  }

  private void assign(long step, List<NamedTensor> tensors) {
    var feeds = new ArrayList<TFloat32>();
    try (var stepTensor = TInt64.scalarOf(step)) {
      var runner = session.runner().feed(stepFeed, stepTensor).addTarget(assignStep);
      for (NamedTensor t : tensors) {
        var value = TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false));
        feeds.add(value);
        runner.feed(assignFeeds.get(t.name()), value).addTarget(assignOps.get(t.name()));
      }
      runner.run();
    } finally {
      feeds.forEach(TFloat32::close);
    }
  }

  /** The facts a state must agree on to be restored into this trainer. */
  private Map<String, String> modelInfo() {
    return Map.of(
        "resize", String.valueOf(model.resize()),
        "oneByOneConvs", String.valueOf(model.oneByOneConvs()),
        "classes", String.valueOf(model.classes()),
        "optimizer", training.optimizer().name());
  }

  public long parameterCount() {
    return net.parameterCount();
  }

  public TrainingConfig trainingConfig() {
    return training;
  }

  public NinConfig modelConfig() {
    return model;
  }

  /** What this trainer computes in: fp32 or bf16, never auto. */
  public Precision precision() {
    return precision;
  }

  public Device device() {
    return device;
  }

  /**
   * The weights a model exports and serves, by parameter name: the moving average when the config
   * keeps one, else the last step's.
   */
  public List<NamedTensor> parameters() {
    if (averages.isEmpty()) {
      return read(net.parameters().stream().map(Parameter::name).toList());
    }
    return read(averages.keySet().stream().map(name -> name + AVERAGE_SUFFIX).toList()).stream()
        .map(
            t ->
                new NamedTensor(
                    t.name().substring(0, t.name().length() - AVERAGE_SUFFIX.length()),
                    t.shape(),
                    t.values()))
        .toList();
  }

  /** SHA-256 of the weights this trainer exports and serves ({@link WeightsDigest}). */
  public String weightsDigest() {
    return WeightsDigest.of(parameters());
  }

  /**
   * The weights a model exported from this state serves, as {@link #parameters()} would return
   * them: each parameter's moving average when the state keeps one, else the parameter itself.
   */
  public static List<NamedTensor> servedWeights(TrainingState state) {
    return state.tensors().stream()
        .filter(t -> !isSlotOrAverage(t.name()))
        .map(
            t ->
                state.has(t.name() + AVERAGE_SUFFIX)
                    ? new NamedTensor(
                        t.name(), t.shape(), state.tensor(t.name() + AVERAGE_SUFFIX).values())
                    : t)
        .toList();
  }

  private static boolean isSlotOrAverage(String name) {
    return name.endsWith(AVERAGE_SUFFIX)
        || name.endsWith("/" + ADAM_M)
        || name.endsWith("/" + ADAM_V);
  }

  private static TUint8 images(Batch batch) {
    return TUint8.tensorOf(
        Shape.of(batch.size(), 28, 28, 1), DataBuffers.of(batch.pixels(), true, false));
  }

  private static TUint8 labels(Batch batch) {
    return TUint8.tensorOf(Shape.of(batch.size()), DataBuffers.of(batch.labels(), true, false));
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
