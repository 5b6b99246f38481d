package dev.nin.core.cli;

import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.data.MemoryBatches;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.SavedModelPredictor;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.NinConfig;
import dev.nin.core.model.WeightInit;
import dev.nin.core.training.Batch;
import dev.nin.core.training.ClassRecall;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.EpochProgress;
import dev.nin.core.training.Evaluation;
import dev.nin.core.training.FedBatch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.Optimizer;
import dev.nin.core.training.Precision;
import dev.nin.core.training.Recipe;
import dev.nin.core.training.Schedule;
import dev.nin.core.training.StepResult;
import dev.nin.core.training.TrainingConfig;
import dev.nin.core.training.TrainingListener;
import dev.nin.core.training.TrainingLoop;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.LabeledImages;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The seed's training loop over an in-memory split: what {@code train} and {@code seeds} run. */
final class InMemoryRun {

  private InMemoryRun() {}

  /** One run's settings, from the command line. */
  record Options(
      NinConfig model,
      TrainingConfig training,
      int epochs,
      int batchSize,
      int logEvery,
      int evalEvery,
      int trainLimit,
      int testLimit,
      boolean augment,
      int cropPadding,
      Path data) {

    static Options from(Args args, int defaultResize, int defaultEpochs, long seed) {
      // --init and --warmup-steps override what the recipe says
      var recipe = Recipe.parse(args.get("recipe", Recipe.DEFAULT.id()));
      var model =
          new NinConfig(
              args.getInt("resize", defaultResize),
              args.getInt("one-by-one", Chapter.ONE_BY_ONE_CONVS),
              args.getDouble("dropout", Chapter.DROPOUT),
              Chapter.CLASSES,
              WeightInit.valueOf(args.get("init", recipe.init().name()).toUpperCase(Locale.ROOT)),
              seed);
      var training =
          new TrainingConfig(
              Optimizer.parse(args.get("optimizer", "adam")),
              args.getDouble("lr", Chapter.LEARNING_RATE),
              args.getInt("warmup-steps", recipe.warmupSteps()),
              // no recipe decays the rate: --schedule cosine|step is a candidate measured
              // against one; the steps it spans are the run's, known once the data is read
              Schedule.parse(args.get("schedule", Schedule.CONSTANT.id())),
              0,
              args.getDouble("weight-decay", 0),
              args.getDouble("average-decay", recipe.averageDecay()),
              args.getDouble("label-smoothing", recipe.labelSmoothing()),
              DeviceChoice.parse(args.get("device", "auto")),
              Precision.parse(args.get("precision", Precision.FP32.id())));
      return new Options(
          model,
          training,
          args.getInt("epochs", defaultEpochs),
          args.getInt("batch-size", Chapter.BATCH_SIZE),
          args.getInt("log-every", Chapter.LOG_EVERY),
          // 0: evaluate on the test set only at the end of each epoch
          args.getInt("eval-every", 0),
          args.getInt("train-limit", 0),
          args.getInt("test-limit", 0),
          args.has("augment"),
          args.getInt("crop-padding", 0),
          Path.of(args.get("data", FashionMnistFiles.DEFAULT_DIR.toString())));
    }

    Options withSeed(long seed) {
      return new Options(
          model.withSeed(seed),
          training,
          epochs,
          batchSize,
          logEvery,
          evalEvery,
          trainLimit,
          testLimit,
          augment,
          cropPadding,
          data);
    }
  }

  /** Both splits, read (and checked) once for any number of runs. */
  record Data(LabeledImages train, LabeledImages test) {
    static Data read(Path dir) throws Exception {
      return new Data(
          FashionMnistFiles.read(dir, Split.TRAIN), FashionMnistFiles.read(dir, Split.TEST));
    }
  }

  /**
   * The last epoch's test evaluation (recall per class included), the run's wall time, and the
   * weights a model exports.
   */
  record Outcome(Evaluation test, double seconds, List<NamedTensor> served) {}

  /** Trains as the options say and prints the chapter's progress lines to {@code out}. */
  static Outcome train(Options run, Data data, PrintStream out) throws Exception {
    var model = run.model();
    var train =
        new MemoryBatches(
            data.train(),
            run.trainLimit(),
            model.seed(),
            run.batchSize(),
            run.augment(),
            run.cropPadding());
    var test = new MemoryBatches(data.test(), run.testLimit(), model.seed(), 500);
    long totalSteps = (long) run.epochs() * train.batchesPerEpoch();
    var schedule = run.training().schedule();
    var training = run.training().withSchedule(schedule, schedule.decaySteps(totalSteps));
    out.printf(
        Locale.ROOT,
        "train %d images, test %d, resize %d, batch %d, %s lr %s (warm-up %d steps, %s schedule"
            + " over %d steps, weight decay %s, average %s, label smoothing %s), init %s,"
            + " flips %s, crop padding %d, %d epochs, seed %d%n",
        train.size(),
        test.size(),
        model.resize(),
        run.batchSize(),
        training.optimizer(),
        training.learningRate(),
        training.warmupSteps(),
        training.schedule().id(),
        training.decaySteps(),
        training.weightDecay(),
        training.averageDecay(),
        training.labelSmoothing(),
        model.init().name().toLowerCase(Locale.ROOT),
        run.augment(),
        run.cropPadding(),
        run.epochs(),
        model.seed());

    try (var trainer = NinTrainer.create(model, training)) {
      var printer = new ProgressPrinter(run, trainer, test, totalSteps, train.size(), out);
      long started = System.nanoTime();
      new TrainingLoop(trainer, run.epochs(), test::inOrder, printer)
          .run(train.source(), () -> false);
      return new Outcome(printer.last, (System.nanoTime() - started) / 1e9, trainer.parameters());
    }
  }

  /**
   * Exports the run's model and sends the test split through it as inference does (DJL, the
   * SavedModel's fp32 signature, then its bf16 one): {@code served_top1_fp32}, {@code
   * served_top1_bf16} and their difference in points.
   */
  static void printServedAccuracy(Outcome outcome, Data data, Options run, PrintStream out)
      throws Exception {
    var test = new MemoryBatches(data.test(), run.testLimit(), run.model().seed(), 500);
    Path dir = Files.createTempDirectory("nin-served-");
    try {
      SavedModelExport.write(run.model(), outcome.served(), dir.resolve("model"));
      double[] top1 = new double[2];
      for (int p = 0; p < 2; p++) {
        try (var predictor =
            SavedModelPredictor.load(dir.resolve("model"), Chapter.CLASSES, p == 1)) {
          long hits = 0, images = 0;
          for (var it = test.inOrder(); it.hasNext(); ) {
            Batch batch = it.next();
            float[][] probs = predictor.predict(batch.pixels(), batch.size());
            for (int i = 0; i < probs.length; i++) {
              hits += ClassRecall.strictArgmax(probs[i]) == batch.labels()[i] ? 1 : 0;
            }
            images += batch.size();
          }
          top1[p] = (double) hits / images;
        }
      }
      out.printf(
          Locale.ROOT,
          "served_top1_fp32=%.4f%nserved_top1_bf16=%.4f%nserved_bf16_minus_fp32_points=%.2f%n",
          top1[0],
          top1[1],
          100 * (top1[1] - top1[0]));
    } finally {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** Prints the chapter's progress lines as the loop goes, and keeps the last evaluation. */
  private static final class ProgressPrinter implements TrainingListener {
    private final Options run;
    private final NinTrainer trainer;
    private final MemoryBatches test;
    private final long totalSteps;
    private final int trainImages;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private long epochStart;
    private double trainSeconds;
    private Evaluation last;

    ProgressPrinter(
        Options run,
        NinTrainer trainer,
        MemoryBatches test,
        long totalSteps,
        int trainImages,
        PrintStream out) {
      this.run = run;
      this.trainer = trainer;
      this.test = test;
      this.totalSteps = totalSteps;
      this.trainImages = trainImages;
      this.out = out;
    }

    @Override
    public void onEpochStart(FedBatch first) {
      epochStart = System.nanoTime();
    }

    @Override
    public void onStep(FedBatch batch, StepResult step, EpochProgress progress) {
      if (step.step() % run.logEvery() == 0) {
        double perStep = (System.nanoTime() - started) / 1e9 / step.step();
        out.printf(
            Locale.ROOT,
            "epoch %d/%d step %d/%d loss %.4f top1 %.4f top5 %.4f | %.0f img/s | ETA %s%n",
            batch.epoch() + 1,
            run.epochs(),
            step.step(),
            totalSteps,
            step.loss(),
            progress.top1Accuracy(),
            progress.top5Accuracy(),
            progress.imagesPerSecond(),
            NinCli.duration(perStep * (totalSteps - step.step())));
      }
      if (run.evalEvery() > 0 && step.step() % run.evalEvery() == 0 && !batch.endsEpoch()) {
        var mid = trainer.evaluate(test.inOrder());
        out.printf(
            Locale.ROOT,
            "step %d test top1 %.4f top5 %.4f | %s%n",
            step.step(),
            mid.top1(),
            mid.top5(),
            mid.classes().describe());
      }
    }

    @Override
    public void onEvaluationStart(int epoch) {
      // the epoch's time and throughput are training only, as the services report theirs
      trainSeconds = (System.nanoTime() - epochStart) / 1e9;
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
      last = end.test();
      var progress = end.progress();
      out.printf(
          Locale.ROOT,
          "epoch %d/%d done in %s: train loss %.4f top1 %.4f top5 %.4f (%.0f img/s) | test loss %.4f"
              + " top1 %.4f top5 %.4f%n",
          end.epoch() + 1,
          run.epochs(),
          NinCli.duration(trainSeconds),
          progress.loss(),
          progress.top1Accuracy(),
          progress.top5Accuracy(),
          trainImages / trainSeconds,
          last.loss(),
          last.top1(),
          last.top5());
      out.println(last.classes().describe());
      // what the model is, bit for bit: equal on a second run of the same command
      out.printf(
          Locale.ROOT, "epoch %d weights_sha256=%s%n", end.epoch() + 1, trainer.weightsDigest());
    }
  }
}
