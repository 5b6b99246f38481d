package dev.nin.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.Topics;
import dev.nin.contracts.kafka.DeadLetterPublisher;
import dev.nin.contracts.kafka.PipelineKafka;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.checkpoint.WeightsDigest;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.Batch;
import dev.nin.core.training.ClassRecall;
import dev.nin.core.training.Evaluation;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.StepResult;
import dev.nin.core.training.TrainingConfig;
import dev.nin.trainer.checkpoints.Checkpoint;
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
import dev.nin.trainer.runs.RunRepository;
import dev.nin.trainer.runs.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Trains one claimed run to its end: reads the run's batches from Kafka (resuming from the newest
 * checkpoint's offset), trains, writes step metrics every {@code logEvery} steps, and at each
 * epoch's end evaluates the whole test split and commits an evaluated checkpoint with the epoch's
 * metrics before announcing it.
 */
final class RunExecution {

  private static final Logger LOG = Logger.getLogger(RunExecution.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Run run;
  private final TrainerConfig config;
  private final PipelineKafka kafka;
  private final RunRepository runs;
  private final MetricRepository metrics;
  private final CheckpointRepository checkpoints;
  private final CheckpointEvents events;
  private final DeadLetterPublisher deadLetters;
  private final DataRequests dataRequests;
  private final BooleanSupplier stopRequested;
  private final DatabaseRetry retry;
  private final Reproductions reproductions;
  private final LiveRunMetrics live;
  private final io.opentelemetry.api.trace.Tracer tracer;

  RunExecution(Run run, Collaborators with, BooleanSupplier stopRequested) {
    this.run = run;
    this.config = with.config();
    this.kafka = with.kafka();
    this.runs = with.runs();
    this.metrics = with.metrics();
    this.checkpoints = with.checkpoints();
    this.events = with.events();
    this.deadLetters = with.deadLetters();
    this.dataRequests = with.dataRequests();
    this.reproductions = with.reproductions();
    this.live = with.live();
    this.tracer = with.tracer();
    this.stopRequested = stopRequested;
    this.retry =
        new DatabaseRetry(config.databasePatience(), Duration.ofMillis(200), live::databaseRetried);
  }

  /** Returns how the run ended: SUCCEEDED, or CANCELLED when asked to stop. */
  RunStatus execute() throws Exception {
    var p = run.parameters();
    var model =
        new NinConfig(
            p.resize(),
            p.oneByOneConvs(),
            p.dropout(),
            Chapter.CLASSES,
            p.recipe().init(),
            p.seed());
    var training =
        new TrainingConfig(
            p.optimizer(),
            p.learningRate(),
            p.recipe().warmupSteps(),
            0, // no recipe decays the rate: a cosine decay did not help (docs/performance.md)
            p.recipe().averageDecay(),
            p.recipe().labelSmoothing(),
            config.device());
    var testData =
        TestSplit.read(
            kafka, Topics.testBatches(run.id()), run.id(), config.batchTimeout(), stopRequested);
    if (testData == null) {
      return RunStatus.CANCELLED;
    }
    List<Batch> testSplit = testData.batches();

    try (var trainer = NinTrainer.create(model, training);
        var tensorBoard = TensorBoardLog.open(config.tensorboardDir(), run.id());
        var gauges = live.open(run.id(), (long) p.epochs() * p.batchesPerEpoch(), p.batchSize())) {
      var lineage =
          new LineageRecorder(
              run.id(),
              p,
              model,
              training,
              trainer.device(),
              Topics.trainBatches(run.id()),
              Topics.testBatches(run.id()),
              testData.records(),
              testData.datasetSha256());
      var summary = ModelSummary.of(model);
      retry.run(
          "recording the run's start",
          () ->
              runs.started(
                  run.id(),
                  summary.totalParams(),
                  summary.flopsPerImage(),
                  trainer.device().description()));

      long nextOffset = 0;
      var progress = EpochProgress.start();
      var resumeFrom =
          retry.call("reading the newest checkpoint", () -> checkpoints.newestIntact(run.id()));
      if (resumeFrom.isPresent()) {
        Checkpoint cp = resumeFrom.get();
        trainer.restore(TrainingState.fromZip(cp.stateZip()));
        nextOffset = cp.nextOffset();
        if (cp.kind() == CheckpointKind.RESUME) {
          progress = JSON.readValue(cp.epochProgressJson(), EpochProgress.class);
        }
        LOG.infof(
            "run %s resumes from checkpoint %d (%s, epoch %d, step %d, offset %d)",
            run.id(), cp.id(), cp.kind(), cp.epoch(), cp.step(), nextOffset);
      }
      if (nextOffset > 0) {
        // ingest publishes a few epochs ahead of the one asked for: ask for the one resumed in
        int resumedEpoch = (int) (nextOffset / p.batchesPerEpoch());
        if (resumedEpoch < p.epochs()) {
          dataRequests.upToEpoch(run, resumedEpoch);
        }
      }
      Long restored = resumeFrom.map(Checkpoint::id).orElse(null);
      long startStep = trainer.step();
      long startOffset = nextOffset;
      retry.run(
          "recording where the attempt starts",
          () ->
              runs.recordAttempt(
                  run.id(), run.attempts(), run.claimedBy(), restored, startStep, startOffset));

      boolean shapeKnown = false;
      io.opentelemetry.api.trace.Span epochSpan = null; // one span an epoch, not one a batch
      // Throughput counts the wait for data too: a slow feed shows as fewer images per second.
      long mark = System.nanoTime();
      long progressWritten = mark;
      try (var feed =
          new BatchFeed(
              kafka,
              Topics.trainBatches(run.id()),
              run.id(),
              nextOffset,
              config.prefetchBatches(),
              deadLetters::send)) {
        gauges.publishedRecords(feed::endOffset);
        gauges.trainedOn(nextOffset - 1);
        try {
          while (true) {
            if (stopRequested.getAsBoolean()) {
              return RunStatus.CANCELLED;
            }
            var item = feed.next(config.batchTimeout());
            ImageBatch batch = item.batch();
            lineage.sawDataset(item.datasetSha256());
            if (!shapeKnown) {
              retry.run(
                  "recording the data's shape",
                  () ->
                      runs.dataShape(run.id(), batch.getBatchCount(), batch.getSplitImageCount()));
              shapeKnown = true;
            }
            if (epochSpan == null) {
              epochSpan =
                  tracer
                      .spanBuilder("epoch " + batch.getEpoch())
                      .setAttribute("nin.epoch", batch.getEpoch())
                      .setAttribute("nin.first_batch", batch.getIndex())
                      .startSpan();
            }
            StepResult step =
                trainer.trainStep(
                    new Batch(batch.getPixels().toByteArray(), batch.getLabels().toByteArray()));
            long now = System.nanoTime();
            progress = progress.add(step, (now - mark) / 1e9, batch.getEpoch(), batch.getIndex());
            mark = now;
            int epoch = batch.getEpoch();
            gauges.stepped(
                step.step(),
                epoch,
                step.loss(),
                progress.top1Accuracy(),
                progress.imagesPerSecond());
            gauges.trainedOn(item.offset());

            boolean logged = step.step() % p.logEvery() == 0;
            if (logged) {
              var metric = stepMetric(epoch, step, progress, training.learningRateAt(step.step()));
              retry.run("writing a step metric", () -> metrics.insert(run.id(), metric));
              tensorBoard.record(metric);
            }
            // progress and ETA follow the clock, not logEvery: a sparse log still shows movement
            if (logged || now - progressWritten >= config.progressInterval().toNanos()) {
              double imagesPerSecond = progress.imagesPerSecond();
              retry.run(
                  "recording progress",
                  () -> runs.progress(run.id(), epoch, step.step(), imagesPerSecond));
              progressWritten = now;
            }
            if (batch.getIndex() == batch.getBatchCount() - 1) {
              try (var inEpoch = epochSpan.makeCurrent()) {
                endEpoch(
                        trainer,
                        model,
                        epoch,
                        step,
                        progress,
                        testSplit,
                        item.offset() + 1,
                        batch,
                        lineage,
                        gauges)
                    .forEach(tensorBoard::record);
              } finally {
                epochSpan.end();
                epochSpan = null;
              }
              progress = EpochProgress.start();
              mark = System.nanoTime(); // evaluation and checkpointing are not training time
              if (epoch + 1 >= p.epochs()) {
                return RunStatus.SUCCEEDED;
              }
              dataRequests.upToEpoch(run, epoch + 1);
            } else if (p.checkpointEverySteps() != null
                && step.step() % p.checkpointEverySteps() == 0) {
              byte[] state = trainer.state().toZip();
              var atProgress = progress;
              long writeStart = System.nanoTime();
              retry.call(
                  "writing a resume checkpoint",
                  () ->
                      checkpoints.saveResume(
                          run.id(),
                          epoch,
                          step.step(),
                          state,
                          item.offset() + 1,
                          atProgress.images(),
                          atProgress));
              live.checkpointWrites(CheckpointKind.RESUME)
                  .record(Duration.ofNanos(System.nanoTime() - writeStart));
            }
          }
        } finally {
          if (epochSpan != null) {
            epochSpan.end(); // cancelled or failed mid-epoch
          }
        }
      }
    }
  }

  /** Evaluates, commits the epoch's checkpoint and metrics, announces it; returns the metrics. */
  private List<Metric> endEpoch(
      NinTrainer trainer,
      NinConfig model,
      int epoch,
      StepResult step,
      EpochProgress progress,
      List<Batch> testSplit,
      long nextOffset,
      ImageBatch last,
      LineageRecorder lineage,
      LiveRunMetrics.ActiveRun gauges)
      throws IOException, InterruptedException {
    if (progress.images() != last.getSplitImageCount()) {
      LOG.warnf(
          "run %s epoch %d trained on %d images, the split has %d (records were dead-lettered)",
          run.id(), epoch, progress.images(), last.getSplitImageCount());
    }
    LOG.infof(
        "run %s epoch %d: evaluating on the test split (%d batches)",
        run.id(), epoch, testSplit.size());
    var evaluation = tracer.spanBuilder("evaluate").setAttribute("nin.epoch", epoch).startSpan();
    Evaluation test;
    try (var scope = evaluation.makeCurrent()) {
      test = trainer.evaluate(testSplit.iterator());
      evaluation.setAttribute("nin.test.top1", test.top1());
    } finally {
      evaluation.end();
    }
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
