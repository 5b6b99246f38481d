package dev.nin.trainer.training;

import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.checkpoint.WeightsDigest;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.ClassRecall;
import dev.nin.core.training.EpochProgress;
import dev.nin.core.training.Evaluation;
import dev.nin.core.training.FedBatch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.StepResult;
import dev.nin.core.training.TrainingListener;
import dev.nin.trainer.checkpoints.CheckpointEvents;
import dev.nin.trainer.checkpoints.CheckpointKind;
import dev.nin.trainer.checkpoints.CheckpointRepository;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.lineage.LineageRecorder;
import dev.nin.trainer.lineage.ReproductionVerdict;
import dev.nin.trainer.lineage.Reproductions;
import dev.nin.trainer.metrics.ClassMetric;
import dev.nin.trainer.metrics.MetricRepository;
import dev.nin.trainer.metrics.MetricRepository.Metric;
import dev.nin.trainer.persistence.DatabaseRetry;
import dev.nin.trainer.runs.Run;
import dev.nin.trainer.runs.RunParameters;
import dev.nin.trainer.runs.RunRepository;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Everything a run leaves behind while the training loop trains it: step metrics and progress in
 * PostgreSQL, TensorBoard events, live gauges, mid-epoch resume checkpoints, and at each epoch's
 * end the evaluated checkpoint with its metrics, lineage and SavedModel, then its announcement on
 * {@code nin.checkpoints}. One span an epoch, with the evaluation and the checkpoint write inside.
 */
final class RunJournal implements TrainingListener, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RunJournal.class);

  private final Run run;
  private final RunParameters p;
  private final NinTrainer trainer;
  private final NinConfig model;
  private final int testBatches;
  private final LineageRecorder lineage;
  private final TensorBoardLog tensorBoard;
  private final LiveRunMetrics.ActiveRun gauges;
  private final EarlyStop earlyStop;
  private final TrainerConfig config;
  private final RunRepository runs;
  private final MetricRepository metrics;
  private final CheckpointRepository checkpoints;
  private final CheckpointEvents events;
  private final DataRequests dataRequests;
  private final Reproductions reproductions;
  private final LiveRunMetrics live;
  private final Tracer tracer;
  private final DatabaseRetry retry;

  private long progressWritten = System.nanoTime();
  private Span epochSpan; // one span an epoch, not one a batch
  private Scope epochScope;
  private Span evaluationSpan;
  private Scope evaluationScope;

  RunJournal(
      Run run,
      NinTrainer trainer,
      NinConfig model,
      int testBatches,
      LineageRecorder lineage,
      TensorBoardLog tensorBoard,
      LiveRunMetrics.ActiveRun gauges,
      EarlyStop earlyStop,
      Collaborators with) {
    this.run = run;
    this.p = run.parameters();
    this.trainer = trainer;
    this.model = model;
    this.testBatches = testBatches;
    this.lineage = lineage;
    this.tensorBoard = tensorBoard;
    this.gauges = gauges;
    this.earlyStop = earlyStop;
    this.config = with.config();
    this.runs = with.runs();
    this.metrics = with.metrics();
    this.checkpoints = with.checkpoints();
    this.events = with.events();
    this.dataRequests = with.dataRequests();
    this.reproductions = with.reproductions();
    this.live = with.live();
    this.tracer = with.tracer();
    this.retry = with.retry();
  }

  @Override
  public void onEpochStart(FedBatch first) {
    epochSpan =
        tracer
            .spanBuilder("epoch " + first.epoch())
            .setAttribute("nin.epoch", first.epoch())
            .setAttribute("nin.first_batch", first.index())
            .startSpan();
  }

  @Override
  public void onStep(FedBatch batch, StepResult step, EpochProgress progress) throws Exception {
    int epoch = batch.epoch();
    gauges.stepped(
        step.step(), epoch, step.loss(), progress.top1Accuracy(), progress.imagesPerSecond());
    gauges.trainedOn(batch.position());

    long now = System.nanoTime();
    boolean logged = step.step() % p.logEvery() == 0;
    if (logged) {
      var metric =
          stepMetric(epoch, step, progress, trainer.trainingConfig().learningRateAt(step.step()));
      retry.run("writing a step metric", () -> metrics.insert(run.id(), metric));
      tensorBoard.record(metric);
    }
    // progress and ETA follow the clock, not logEvery: a sparse log still shows movement
    if (logged || now - progressWritten >= config.progressInterval().toNanos()) {
      double imagesPerSecond = progress.imagesPerSecond();
      retry.run(
          "recording progress", () -> runs.progress(run.id(), epoch, step.step(), imagesPerSecond));
      progressWritten = now;
    }
    if (batch.endsEpoch() && progress.images() != batch.epochImages()) {
      LOG.warnf(
          "run %s epoch %d trained on %d images, the split has %d (records were dead-lettered)",
          run.id(), epoch, progress.images(), batch.epochImages());
    }
    if (!batch.endsEpoch()
        && p.checkpointEverySteps() != null
        && step.step() % p.checkpointEverySteps() == 0) {
      byte[] state = trainer.state().toZip();
      long writeStart = System.nanoTime();
      retry.call(
          "writing a resume checkpoint",
          () ->
              checkpoints.saveResume(
                  run.id(),
                  epoch,
                  step.step(),
                  state,
                  batch.position() + 1,
                  progress.images(),
                  progress));
      live.checkpointWrites(CheckpointKind.RESUME)
          .record(Duration.ofNanos(System.nanoTime() - writeStart));
    }
  }

  @Override
  public void onEvaluationStart(int epoch) {
    epochScope = epochSpan.makeCurrent();
    LOG.infof(
        "run %s epoch %d: evaluating on the test split (%d batches)", run.id(), epoch, testBatches);
    evaluationSpan = tracer.spanBuilder("evaluate").setAttribute("nin.epoch", epoch).startSpan();
    evaluationScope = evaluationSpan.makeCurrent();
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws Exception {
    evaluationSpan.setAttribute("nin.test.top1", end.test().top1());
    endEvaluationSpan();
    try {
      recordEpoch(end).forEach(tensorBoard::record);
    } finally {
      endEpochSpan();
    }
    int epoch = end.epoch();
    // after the epoch is committed: the rung compares what the sweep's database holds
    earlyStop.afterEpoch(epoch, end.test().top1());
    if (epoch + 1 < p.epochs() && !earlyStop.decided()) {
      dataRequests.upToEpoch(run, epoch + 1);
    }
  }

  /** Ends the spans a cancelled or failed epoch left open. */
  @Override
  public void close() {
    endEvaluationSpan();
    endEpochSpan();
  }

  private void endEvaluationSpan() {
    if (evaluationScope != null) {
      evaluationScope.close();
      evaluationScope = null;
    }
    if (evaluationSpan != null) {
      evaluationSpan.end();
      evaluationSpan = null;
    }
  }

  private void endEpochSpan() {
    if (epochScope != null) {
      epochScope.close();
      epochScope = null;
    }
    if (epochSpan != null) {
      epochSpan.end();
      epochSpan = null;
    }
  }

  /** Commits the epoch's checkpoint and metrics and announces it; returns the metrics. */
  private List<Metric> recordEpoch(EpochEnd end) throws IOException, InterruptedException {
    int epoch = end.epoch();
    StepResult step = end.step();
    EpochProgress progress = end.progress();
    Evaluation test = end.test();
    long nextOffset = end.last().position() + 1;
    gauges.evaluated(test.top1());
    LOG.infof("run %s epoch %d: writing the epoch checkpoint", run.id(), epoch);
    var weights = trainer.parameters();
    String weightsSha256 = WeightsDigest.of(weights);
    byte[] lineageJson =
        lineage
            .forEpoch(epoch, step.step(), nextOffset, progress.batchDigest(), weightsSha256)
            .toJson();
    byte[] modelZip = exportModel(model, weights, lineageJson);
    var judged = judgeReproduction(epoch, weightsSha256, weights, test);
    var epochMetrics =
        List.of(
            new Metric(
                "epoch",
                "train",
                epoch,
                step.step(),
                progress.loss(),
                progress.top1Accuracy(),
                progress.top5Accuracy(),
                progress.images(),
                progress.imagesPerSecond(),
                trainer.trainingConfig().learningRateAt(step.step()),
                progress.seconds(),
                null),
            new Metric(
                "epoch",
                "test",
                epoch,
                step.step(),
                test.loss(),
                test.top1(),
                test.top5(),
                test.images(),
                null,
                null,
                test.seconds(),
                null));
    byte[] state = trainer.state().toZip();
    long writeStart = System.nanoTime();
    var writing =
        tracer.spanBuilder("write checkpoint").setAttribute("nin.epoch", epoch).startSpan();
    var writingScope = writing.makeCurrent();
    CheckpointRepository.Saved saved;
    try {
      saved =
          retry.call(
              "writing the epoch's checkpoint and metrics",
              () ->
                  checkpoints.saveEpoch(
                      run.id(),
                      epoch,
                      step.step(),
                      test.loss(),
                      test.top1(),
                      test.top5(),
                      modelZip,
                      state,
                      nextOffset,
                      progress.batchDigest(),
                      weightsSha256,
                      lineageJson,
                      epochMetrics,
                      ClassMetric.of(epoch, test.classes()),
                      judged));
      writing.setAttribute("nin.checkpoint.id", saved.id());
    } finally {
      writingScope.close();
      writing.end();
    }
    live.checkpointWrites(CheckpointKind.EPOCH)
        .record(Duration.ofNanos(System.nanoTime() - writeStart));
    retry.run(
        "recording progress",
        () -> runs.progress(run.id(), epoch + 1, step.step(), progress.imagesPerSecond()));
    events.announce(
        CheckpointEvent.newBuilder()
            .setCheckpointId(saved.id())
            .setRunId(run.id().toString())
            .setEpoch(epoch)
            .setStep(step.step())
            .setTestTop1(test.top1())
            .setTestTop5(test.top5())
            .setSha256(saved.modelSha256())
            .setSizeBytes(saved.modelBytes())
            .setResize(model.resize())
            .setCreatedAtMs(System.currentTimeMillis())
            .build());
    org.jboss.logging.MDC.put("checkpointId", String.valueOf(saved.id()));
    LOG.infof(
        "run %s epoch %d: train loss %.4f top1 %.4f on %d images (%.0f img/s) | test loss %.4f"
            + " top1 %.4f top5 %.4f | checkpoint %d",
        run.id(),
        epoch,
        progress.loss(),
        progress.top1Accuracy(),
        progress.images(),
        progress.imagesPerSecond(),
        test.loss(),
        test.top1(),
        test.top5(),
        saved.id());
    var never = test.classes().neverPredicted();
    if (!never.isEmpty()) {
      LOG.warnf(
          "run %s epoch %d: %s never predicted on the test split (a dead class: the ReLU before"
              + " the pooling has closed its channel)",
          run.id(), epoch, never.stream().map(ClassRecall::className).toList());
    }
    org.jboss.logging.MDC.remove("checkpointId");
    return epochMetrics;
  }

  /** For a reproduction, this epoch against the original's same epoch; null otherwise. */
  private ReproductionVerdict judgeReproduction(
      int epoch, String weightsSha256, List<NamedTensor> weights, Evaluation test)
      throws InterruptedException {
    if (run.reproduces() == null) {
      return null;
    }
    var verdict =
        ReproductionVerdict.judge(
            run.reproduces(),
            retry.call(
                "reading the original's checkpoint",
                () -> reproductions.originalEpoch(run.reproduces(), epoch)),
            weightsSha256,
            () -> weights,
            test.top1(),
            test.loss());
    LOG.infof(
        "run %s epoch %d reproduces run %s: %s (largest weight difference %s)",
        run.id(), epoch, run.reproduces(), verdict.verdict(), verdict.maxAbsWeightDiff());
    return verdict;
  }

  private static Metric stepMetric(int epoch, StepResult step, EpochProgress progress, double lr) {
    return new Metric(
        "step",
        "train",
        epoch,
        step.step(),
        step.loss(),
        progress.top1Accuracy(),
        progress.top5Accuracy(),
        progress.images(),
        progress.imagesPerSecond(),
        lr,
        null,
        null);
  }

  private static byte[] exportModel(NinConfig model, List<NamedTensor> weights, byte[] lineage)
      throws IOException {
    Path dir = Files.createTempDirectory("nin-export-");
    try {
      SavedModelExport.write(model, weights, dir.resolve("model"), lineage);
      return ZipFolder.zip(dir.resolve("model"));
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
