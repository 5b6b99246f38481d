package dev.nin.trainer.lineage;

import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.BuildInfo;
import dev.nin.core.runtime.TensorFlowRuntime;
import dev.nin.core.training.Device;
import dev.nin.core.training.Precision;
import dev.nin.core.training.TrainingConfig;
import dev.nin.trainer.runs.RunParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Gathers one run execution's lineage as it trains: the facts fixed at its start (code, runtime,
 * hyperparameters, the test split read) and the dataset digests the records carry, then makes the
 * {@link Lineage} of each epoch checkpoint.
 */
public final class LineageRecorder {

  private final UUID runId;
  private final RunParameters parameters;
  private final Lineage.Code code;
  private final Lineage.Runtime runtime;
  private final Map<String, Object> hyperparameters;
  private final String trainTopic;
  private final String testTopic;
  private final Lineage.Offsets test;
  private final Map<String, String> datasetSha256 = new TreeMap<>();

  public LineageRecorder(
      UUID runId,
      RunParameters parameters,
      NinConfig model,
      TrainingConfig training,
      Device device,
      Precision precision,
      String trainTopic,
      String testTopic,
      long testRecords,
      Map<String, String> testDatasetSha256) {
    this.runId = runId;
    this.parameters = parameters;
    var build = BuildInfo.current();
    this.code = new Lineage.Code(build.commit(), build.dirty(), build.version());
    var session = device.sessionConfig();
    this.runtime =
        new Lineage.Runtime(
            TensorFlowRuntime.ensureLoaded(),
            build.tensorflowJava(),
            build.nativesClassifier(),
            TensorFlowRuntime.nativeFolder().toString(),
            build.djl(),
            device.description(),
            precision.id(),
            session.getIntraOpParallelismThreads(), // 0: TensorFlow uses every core
            session.getInterOpParallelismThreads(),
            java.lang.Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"));
    var hp = new LinkedHashMap<String, Object>();
    hp.put("request", parameters);
    hp.put("model", model);
    hp.put("training", training);
    this.hyperparameters = hp;
    this.trainTopic = trainTopic;
    this.testTopic = testTopic;
    this.test = new Lineage.Offsets(0, testRecords);
    datasetSha256.putAll(testDatasetSha256);
  }

  /** The digests a training record carried (the train files'; the test files' came first). */
  public void sawDataset(Map<String, String> digests) {
    if (!datasetSha256.keySet().containsAll(digests.keySet())) {
      datasetSha256.putAll(digests);
    }
  }

  /**
   * The lineage of the checkpoint that ends {@code epoch}. Each epoch is {@code batchesPerEpoch}
   * records of the train topic, one a batch, so earlier epochs occupied [e·B, (e+1)·B); this
   * epoch's range ends where its last batch was read.
   */
  public Lineage forEpoch(
      int epoch, long step, long nextOffset, long batchesDigest, String weightsSha256) {
    int perEpoch = parameters.batchesPerEpoch();
    var epochs = new ArrayList<Lineage.EpochOffsets>();
    for (int e = 0; e < epoch; e++) {
      epochs.add(new Lineage.EpochOffsets(e, (long) e * perEpoch, (long) (e + 1) * perEpoch, null));
    }
    epochs.add(new Lineage.EpochOffsets(epoch, (long) epoch * perEpoch, nextOffset, batchesDigest));
    var data =
        new Lineage.Data(
            Map.copyOf(datasetSha256),
            parameters.seed(),
            parameters.trainLimit(),
            parameters.testLimit(),
            parameters.augment(),
            parameters.cropPadding(),
            parameters.batchSize(),
            perEpoch,
            trainTopic,
            testTopic,
            test,
            epochs);
    return new Lineage(
        Lineage.FORMAT, runId, epoch, step, weightsSha256, code, runtime, hyperparameters, data);
  }
}
