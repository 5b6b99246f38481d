package dev.nin.inference.config;

import dev.nin.core.training.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything inference-service can be told, with the defaults it runs with. */
@ConfigMapping(prefix = "nin.inference")
public interface InferenceConfig {

  /** Which checkpoint serves when none is pinned. */
  @WithDefault("latest")
  Policy policy();

  /**
   * How often the database is polled for a better checkpoint and a changed pin: the fallback for
   * lost {@code nin.checkpoints} events, and how other replicas learn of a pin.
   */
  @WithDefault("PT10S")
  Duration pollInterval();

  /** Whether to listen to {@code nin.checkpoints} (off, only polling finds new checkpoints). */
  @WithDefault("true")
  boolean listenForCheckpoints();

  /**
   * The arithmetic models serve in: fp32, bf16 (the SavedModel's {@code serving_bf16} signature:
   * the same interface, its feature blocks computing in bfloat16 on bfloat16 copies of the weights
   * made at export; models exported before it existed serve in fp32), or auto (bf16 where this
   * machine's CPU or GPU has bfloat16).
   */
  @WithDefault("fp32")
  Precision precision();

  /** Where checkpoints are unpacked while they load (each load gets its own folder). */
  @WithDefault("${java.io.tmpdir}/nin-inference")
  String workDir();

  /** How many load and rejection events {@code GET /api/model} keeps. */
  @WithDefault("100")
  int historySize();

  Batching batching();

  Limits limits();

  Versions versions();

  Promotion promotion();

  PredictionLog predictionLog();

  /**
   * How a new candidate becomes the serving model. By default it is swapped in at once (the newest
   * servable checkpoint serves); each stage below is off until configured, and they chain: gate,
   * then shadow, then canary, then promotion. A pin skips them all.
   */
  interface Promotion {
    /**
     * The gate: a candidate whose recorded test top-1 is below the serving model's by more than
     * this (0.05 = 5 points) is not promoted. Unset: no gate.
     */
    java.util.OptionalDouble maxRegression();

    /**
     * The gate also keeps out a candidate whose own evaluation never predicted some class (a dead
     * class: the seed's ReLU classifier does not bring it back), while a model serves. Off by
     * default, so that the newest servable checkpoint serves, as the product promises.
     */
    @WithDefault("false")
    boolean refuseDeadClasses();

    /** Percent of live requests the shadowed candidate also gets a copy of (0: no shadow). */
    @WithDefault("0")
    int shadowPercent();

    /** Shadowed requests after which the shadow ends with its agreement recorded. */
    @WithDefault("200")
    int shadowRequests();

    /**
     * The lowest agreement (share of images with the serving model's top-1) with which a shadowed
     * candidate goes on; below it the candidate is rejected. 0: any agreement goes on.
     */
    @WithDefault("0")
    double shadowMinAgreement();

    /** Percent of live requests the candidate answers during its canary (0: no canary). */
    @WithDefault("0")
    int canaryPercent();

    /** Requests the canary answers without an error before it takes over; one error rejects it. */
    @WithDefault("100")
    int canaryRequests();
  }

  /**
   * A sampled stream of what was served ({@code nin.predictions}): the input of a later feedback
   * loop. Off by default.
   */
  interface PredictionLog {
    /** Share of requests logged, 0 to 1 (0: off, no producer is created). */
    @WithDefault("0")
    double sampleRate();

    /** Whether a logged request carries its pixels (784 bytes an image). */
    @WithDefault("false")
    boolean includePixels();
  }

  /**
   * Versions other than the serving one, asked for by id (OIP {@code /versions/{id}}): loaded on
   * demand and kept in a small least-recently-used cache.
   */
  interface Versions {
    /** Versions kept loaded besides the serving one; each holds its model in memory. */
    @WithDefault("2")
    int cacheSize();
  }

  enum Policy {
    /** The newest evaluated checkpoint of any run. */
    LATEST,
    /** The evaluated checkpoint with the highest test top-1 (newest on a tie). */
    BEST
  }

  /** Dynamic batching: concurrent requests share one model call. */
  interface Batching {
    /** Most images in one model call (a single larger request still runs, alone). */
    @WithDefault("64")
    int maxBatchSize();

    /**
     * How long a batch may wait for more requests, when the recent batches were larger than what
     * has arrived (a lone client never waits).
     */
    @WithDefault("PT0.005S")
    Duration maxDelay();

    /**
     * The wait may also be this fraction (0 to 1) of the time a model call of the expected batch
     * takes (its recent time per image × the batch expected), when that is longer than {@code
     * max-delay}: on a slower machine (or a larger model) the answered clients take longer to send
     * their next requests, and a fixed wait would split their wave; waiting a fraction of a call
     * costs at most that fraction of throughput. 0 keeps the wait at {@code max-delay}.
     */
    @WithDefault("0.25")
    double delayFraction();

    /** The longest the wait grows to through {@code delay-fraction}, however slow the model. */
    @WithDefault("PT0.05S")
    Duration maxAdaptiveDelay();

    /** Threads calling the model; TensorFlow already uses every core for one call. */
    @WithDefault("1")
    int workers();

    /** Images waiting at most; beyond it requests are refused with 503 instead of queueing. */
    @WithDefault("8192")
    int queueCapacity();
  }

  /** Request limits: larger requests are refused with 413. */
  interface Limits {
    /** Images in one request ({@code instances} or a gRPC batch). */
    @WithDefault("256")
    int maxImages();

    /** Bytes of one PNG or JPEG upload. */
    @WithDefault("2097152")
    int maxUploadBytes();

    /** Width or height of an uploaded image, checked before it is decoded. */
    @WithDefault("4096")
    int maxImageSide();
  }
}
