package dev.nin.dataset;

import com.google.protobuf.ByteString;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.contracts.v1.Split;
import dev.nin.contracts.v1.TrainingRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The batches of one split of a run, as a pure function of the run's request: record {@code k} of
 * the split's topic is {@link #batch(long) batch(k)}, computed, never stored. Ingest publishes this
 * stream; the trainer's tests and the benchmarks replay it.
 */
public final class RunStream {

  /** Test batches are only evaluated: larger ones mean fewer records and the same result. */
  static final int TEST_BATCH_CAP = 1000;

  /** What decides a run's data. */
  public record Spec(
      UUID runId,
      long seed,
      int batchSize,
      int epochs,
      int trainLimit,
      int testLimit,
      boolean augment,
      int cropPadding) {

    /** The spec a request asks for; the run id must be a UUID (unchecked otherwise). */
    public static Spec of(TrainingRequest request) {
      return new Spec(
          UUID.fromString(request.getRunId()),
          request.getSeed(),
          request.getBatchSize(),
          request.getEpochs(),
          request.getTrainLimit(),
          request.getTestLimit(),
          request.getAugment(),
          request.getCropPadding());
    }
  }

  private final Spec spec;
  private final Split split;
  private final LabeledImages images;
  private final int[] subset;
  private final int epochs;
  private final int batchSize;
  // one epoch's order at a time: a 1,000-epoch run does not hold 1,000 permutations
  private int orderedEpoch = -1;
  private int[] order;

  private RunStream(
      Spec spec, Split split, LabeledImages images, int[] subset, int epochs, int batchSize) {
    this.spec = spec;
    this.split = split;
    this.images = images;
    this.subset = subset;
    this.epochs = epochs;
    this.batchSize = batchSize;
  }

  /** Every epoch of the training subset, each in the order seeded by (seed, epoch). */
  public static RunStream train(Spec spec, LabeledImages train) {
    int[] subset =
        SamplingPlan.stratifiedSubset(
            train, spec.trainLimit(), spec.seed(), FashionMnist.CLASS_COUNT);
    return new RunStream(spec, Split.TRAIN, train, subset, spec.epochs(), spec.batchSize());
  }

  /** The test subset once, in file order. */
  public static RunStream test(Spec spec, LabeledImages test) {
    int[] subset =
        SamplingPlan.stratifiedSubset(
            test, spec.testLimit(), spec.seed(), FashionMnist.CLASS_COUNT);
    int batch = Math.max(spec.batchSize(), Math.min(TEST_BATCH_CAP, subset.length));
    return new RunStream(spec, Split.TEST, test, subset, 1, batch);
  }

  public String topic() {
    return split == Split.TRAIN
        ? Topics.trainBatches(spec.runId())
        : Topics.testBatches(spec.runId());
  }

  public int batchesPerEpoch() {
    return SamplingPlan.batchCount(subset.length, batchSize);
  }

  public int imagesPerEpoch() {
    return subset.length;
  }

  /** Records in the split's topic when the run is fully published. */
  public long size() {
    return (long) batchesPerEpoch() * epochs;
  }

  /** Record key: {@code <epoch>/<index>}. */
  public String key(long k) {
    return (k / batchesPerEpoch()) + "/" + (k % batchesPerEpoch());
  }

  /**
   * The headers each of the stream's records carries: one per dataset file the images came from
   * ({@link Topics#DATASET_SHA256_HEADER_PREFIX}), valued with the file's official SHA-256 (the
   * only file {@link FashionMnistFiles} reads), in file order.
   */
  public Map<String, byte[]> datasetHeaders() {
    var files = split == Split.TEST ? FashionMnistFiles.Split.TEST : FashionMnistFiles.Split.TRAIN;
    var headers = new LinkedHashMap<String, byte[]>();
    for (String file : List.of(files.imagesFile(), files.labelsFile())) {
      headers.put(
          Topics.DATASET_SHA256_HEADER_PREFIX + file,
          FashionMnistFiles.SHA256.get(file).getBytes(StandardCharsets.US_ASCII));
    }
    return headers;
  }

  public ImageBatch batch(long k) {
    int epoch = (int) (k / batchesPerEpoch());
    int index = (int) (k % batchesPerEpoch());
    int[] order = orderOf(epoch);
    int from = index * batchSize;
    var slice = images.select(order, from, Math.min(order.length, from + batchSize));
    byte[] pixels = slice.pixels();
    if (split == Split.TRAIN) {
      Augmentation.apply(pixels, spec.augment(), spec.cropPadding(), spec.seed(), epoch, index);
    }
    return ImageBatch.newBuilder()
        .setRunId(spec.runId().toString())
        .setSplit(split)
        .setEpoch(epoch)
        .setIndex(index)
        .setBatchCount(batchesPerEpoch())
        .setSplitImageCount(order.length)
        .setHeight(FashionMnist.HEIGHT)
        .setWidth(FashionMnist.WIDTH)
        .setPixels(ByteString.copyFrom(pixels))
        .setLabels(ByteString.copyFrom(slice.labels()))
        .build();
  }

  /** The test split in file order; a training epoch in the order seeded by (seed, epoch). */
  private synchronized int[] orderOf(int epoch) {
    if (epoch != orderedEpoch) {
      order = split == Split.TEST ? subset : SamplingPlan.epochOrder(subset, spec.seed(), epoch);
      orderedEpoch = epoch;
    }
    return order;
  }
}
