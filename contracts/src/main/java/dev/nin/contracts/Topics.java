package dev.nin.contracts;

import java.util.UUID;

/** Kafka topic names shared by the services (see docs/architecture.md). */
public final class Topics {

  /** Run requests from the trainer to ingest; key = run id, value = {@code TrainingRequest}. */
  public static final String TRAINING_REQUESTS = "nin.training-requests";

  /** Evaluated checkpoints ready for serving; value = {@code CheckpointEvent}. */
  public static final String CHECKPOINTS = "nin.checkpoints";

  /**
   * {@link #CHECKPOINTS} has one partition, which every inference replica assigns itself (no
   * consumer group: {@code assign-seek=0:-1}); the trainer creates the topic with exactly this
   * many.
   */
  public static final int CHECKPOINTS_PARTITIONS = 1;

  /**
   * What inference served, sampled ({@code nin.inference.prediction-log.sample-rate}, off by
   * default); key = request id, value = {@code ServedPrediction}.
   */
  public static final String PREDICTIONS = "nin.predictions";

  /** Records a consumer could not use, with the reason; value = {@code DeadLetter}. */
  public static final String DEAD_LETTERS = "nin.dead-letters";

  /**
   * Producer, topic and consumer limit for one record. A batch of 128 images is ~100 KB; 4 MB
   * leaves room for batch sizes up to ~5,000 without a broker default (1 MB) getting in the way.
   */
  public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  /**
   * Headers on every record of a run topic, one per dataset file the batch's images came from: this
   * prefix plus the official file name, valued with the SHA-256 of the file's decompressed bytes,
   * which ingest verified before publishing. The trainer copies them into each checkpoint's
   * lineage.
   */
  public static final String DATASET_SHA256_HEADER_PREFIX = "nin.dataset.sha256.";

  private static final String RUN_PREFIX = "nin.run.";

  private Topics() {}

  /** One topic per run and split keeps a run replayable and lets it be deleted when it ends. */
  public static String trainBatches(UUID runId) {
    return RUN_PREFIX + runId + ".train";
  }

  public static String testBatches(UUID runId) {
    return RUN_PREFIX + runId + ".test";
  }

  /** True for the per-run batch topics, e.g. to clean them up after a run ends. */
  public static boolean isRunTopic(String topic) {
    return topic.startsWith(RUN_PREFIX) && (topic.endsWith(".train") || topic.endsWith(".test"));
  }

  /**
   * A topic as a metric label: the shared topics by name, every run's topics as {@code
   * nin.run.*.train} or {@code nin.run.*.test}, so a label set stays bounded however many runs
   * there are.
   */
  public static String metricLabel(String topic) {
    if (isRunTopic(topic)) {
      return RUN_PREFIX + "*" + topic.substring(topic.lastIndexOf('.'));
    }
    return topic;
  }
}
