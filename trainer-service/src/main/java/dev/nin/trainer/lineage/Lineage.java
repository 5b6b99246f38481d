package dev.nin.trainer.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What made an evaluated checkpoint, as stored in {@code checkpoint.lineage} and shipped as the
 * SavedModel's {@code lineage.json}: the code, the runtime, every hyperparameter, and the data
 * (dataset digests, sampling, and the Kafka offsets each epoch consumed). Its JSON is
 * deterministic: fields in declaration order, maps sorted.
 */
public record Lineage(
    String format,
    UUID runId,
    int epoch,
    long step,
    String weightsSha256,
    Code code,
    Runtime runtime,
    Map<String, Object> hyperparameters,
    Data data) {

  /**
   * 2: {@code training} gained {@code labelSmoothing}, and the optimizer is spelt as the API spells
   * it ({@code adam}, not {@code ADAM}). 3: {@code request} gained the recipe's options as the run
   * resolved them ({@code warmupSteps}, {@code schedule}, {@code labelSmoothing}, {@code
   * averageDecay}), and {@code training.decaySteps} may be non-zero (a cosine schedule). 4: {@code
   * request} and {@code training} gained {@code precision} as the attempt read it from the run's
   * row ({@code auto} in a run's first attempt when it asked for auto; a later attempt reads what
   * the first resolved, as the row keeps it), and {@code runtime.precision} is the precision the
   * trainer computed in ({@code fp32} or {@code bf16}), no longer always {@code fp32}. 5: {@code
   * request} and {@code training} gained {@code weightDecay}, {@code training} gained {@code
   * schedule}, and a schedule may be {@code step}; {@code request} and {@code data} gained {@code
   * cropPadding}.
   */
  public static final String FORMAT = "nin-lineage/5";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** The commit and version of the build that trained it. */
  public record Code(String commit, String dirty, String version) {}

  /** Where it ran: library versions, device, numeric precision and thread settings. */
  public record Runtime(
      String tensorflow,
      String tensorflowJava,
      String nativesClassifier,
      String nativesFolder,
      String djl,
      String device,
      String precision,
      int intraOpThreads,
      int interOpThreads,
      int availableProcessors,
      String java) {}

  /**
   * The data: the dataset files' SHA-256 (as ingest stamped them on the records), the sampling that
   * chose and ordered the images (a pure function of these fields), and the records read.
   */
  public record Data(
      Map<String, String> datasetSha256,
      long samplingSeed,
      Integer trainLimit,
      Integer testLimit,
      boolean augment,
      int cropPadding,
      int batchSize,
      int batchesPerEpoch,
      String trainTopic,
      String testTopic,
      Offsets test,
      List<EpochOffsets> epochs) {}

  /** A half-open offset range [from, until) of a single-partition topic. */
  public record Offsets(long fromOffset, long untilOffset) {}

  /**
   * An epoch's records on the train topic; {@code batchesDigest} fingerprints the (epoch, index) of
   * every batch trained on, for the epoch this checkpoint ends.
   */
  public record EpochOffsets(int epoch, long fromOffset, long untilOffset, Long batchesDigest) {}

  public byte[] toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(this)
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a lineage always serialises", e);
    }
  }
}
