package dev.nin.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.training.Batch;
import dev.nin.core.training.BatchSource;
import dev.nin.core.training.EpochProgress;
import dev.nin.core.training.FedBatch;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.TrainingLoop;
import dev.nin.servicekit.kafka.DeadLetterPublisher;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.trainer.checkpoints.Checkpoint;
import dev.nin.trainer.checkpoints.CheckpointKind;
import dev.nin.trainer.checkpoints.CheckpointRepository;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.lineage.LineageRecorder;
import dev.nin.trainer.persistence.DatabaseRetry;
import dev.nin.trainer.runs.Run;
import dev.nin.trainer.runs.RunRepository;
import dev.nin.trainer.runs.RunStatus;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Trains one claimed run to its end: builds the trainer from the run's parameters, restores the
 * newest intact checkpoint if there is one, and runs the {@link TrainingLoop} over the run's train
 * topic from that checkpoint's offset. What the run leaves behind is written by its {@link
 * RunJournal}.
 */
final class RunExecution {

  private static final Logger LOG = Logger.getLogger(RunExecution.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Run run;
  private final Collaborators with;
  private final TrainerConfig config;
  private final PipelineKafka kafka;
  private final RunRepository runs;
  private final CheckpointRepository checkpoints;
  private final DeadLetterPublisher deadLetters;
  private final DataRequests dataRequests;
  private final BooleanSupplier stopRequested;
  private final DatabaseRetry retry;
  private final LiveRunMetrics live;

  RunExecution(Run run, Collaborators with, BooleanSupplier stopRequested) {
    this.run = run;
    this.with = with;
    this.config = with.config();
    this.kafka = with.kafka();
    this.runs = with.runs();
    this.checkpoints = with.checkpoints();
    this.deadLetters = with.deadLetters();
    this.dataRequests = with.dataRequests();
    this.live = with.live();
    this.stopRequested = stopRequested;
    this.retry = with.retry();
  }

  /**
   * Returns how the run ended: SUCCEEDED, STOPPED_EARLY when its rung rule or plateau ended it
   * (with the reason written), or CANCELLED when asked to stop.
   */
  RunStatus execute() throws Exception {
    var p = run.parameters();
    var model = p.model();
    var training = p.training(config.device());
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
              trainer.precision(),
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
                  trainer.device().description(),
                  trainer.precision()));

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
            run.id(), cp.id(), cp.kind().id(), cp.epoch(), cp.step(), nextOffset);
      }
      Long restored = resumeFrom.map(Checkpoint::id).orElse(null);
      long startStep = trainer.step();
      long startOffset = nextOffset;
      retry.run(
          "recording where the attempt starts",
          () ->
              runs.recordAttempt(
                  run.id(), run.attempts(), run.claimedBy(), restored, startStep, startOffset));

      var earlyStop = new EarlyStop(run, with.metrics(), with.sweeps(), retry);
      if (nextOffset > 0) {
        int resumedEpoch = (int) (nextOffset / p.batchesPerEpoch());
        if (nextOffset % p.batchesPerEpoch() == 0) { // at an epoch's end: judge it again
          earlyStop.onResumeAt(resumedEpoch);
          if (earlyStop.decided()) {
            return stoppedEarly(earlyStop);
          }
        }
        // ingest publishes a few epochs ahead of the one asked for: ask for the one resumed in
        if (resumedEpoch < p.epochs()) {
          dataRequests.upToEpoch(run, resumedEpoch);
        }
      }
      try (var feed =
              new BatchFeed(
                  kafka,
                  Topics.trainBatches(run.id()),
                  run.id(),
                  nextOffset,
                  config.prefetchBatches(),
                  deadLetters::send);
          var journal =
              new RunJournal(
                  run,
                  trainer,
                  model,
                  testSplit.size(),
                  lineage,
                  tensorBoard,
                  gauges,
                  earlyStop,
                  with)) {
        gauges.publishedRecords(feed::endOffset);
        gauges.trainedOn(nextOffset - 1);
        var ending =
            new TrainingLoop(trainer, p.epochs(), testSplit::iterator, journal)
                .run(
                    topicSource(feed, lineage),
                    progress,
                    () -> earlyStop.decided() || stopRequested.getAsBoolean());
        if (ending == TrainingLoop.Ending.COMPLETED) {
          return RunStatus.SUCCEEDED;
        }
        return earlyStop.decided() ? stoppedEarly(earlyStop) : RunStatus.CANCELLED;
      }
    }
  }

  private RunStatus stoppedEarly(EarlyStop earlyStop) throws InterruptedException {
    LOG.infof("run %s stops early: %s", run.id(), earlyStop.reason());
    retry.run(
        "recording why the run stops early", () -> runs.stopReason(run.id(), earlyStop.reason()));
    return RunStatus.STOPPED_EARLY;
  }

  /** The run's train topic as the loop's batch source; the first batch records the data's shape. */
  private BatchSource topicSource(BatchFeed feed, LineageRecorder lineage) {
    var shapeKnown = new boolean[1];
    return () -> {
      var item = feed.next(config.batchTimeout());
      ImageBatch batch = item.batch();
      lineage.sawDataset(item.datasetSha256());
      if (!shapeKnown[0]) {
        retry.run(
            "recording the data's shape",
            () -> runs.dataShape(run.id(), batch.getBatchCount(), batch.getSplitImageCount()));
        shapeKnown[0] = true;
      }
      return new FedBatch(
          new Batch(batch.getPixels().toByteArray(), batch.getLabels().toByteArray()),
          batch.getEpoch(),
          batch.getIndex(),
          batch.getBatchCount(),
          item.offset(),
          batch.getSplitImageCount());
    };
  }
}
