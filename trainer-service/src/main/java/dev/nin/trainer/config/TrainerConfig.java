package dev.nin.trainer.config;

import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** trainer-service settings ({@code nin.trainer.*}, or NIN_TRAINER_* variables). */
@ConfigMapping(prefix = "nin.trainer")
public interface TrainerConfig {

  /** What a run may cost; {@code POST /api/runs} refuses one over budget with 422. */
  Budget budget();

  interface Budget {
    /**
     * Estimated training memory (weights, Adam state, a batch's activations and gradients: the
     * summary's estimate) one run may need, in MB.
     */
    @WithDefault("16384")
    int memoryMb();

    /** Bytes of batches one run may put on Kafka (every epoch and the test split), in MB. */
    @WithDefault("10240")
    int kafkaMb();
  }

  /** Largest {@code epochs} a run may ask for. */
  @WithDefault("1000")
  int maxEpochs();

  /** Claim and train runs (off: an API-only instance). */
  @WithDefault("true")
  boolean workerEnabled();

  /** This instance's name in {@code training_run.claimed_by}; defaults to host name and pid. */
  Optional<String> instanceId();

  /** How often an idle trainer looks for a queued run. */
  @WithDefault("PT2S")
  Duration pollInterval();

  /**
   * Longest time between two progress writes (step, epoch, images/s: what progress and ETA are
   * computed from), whatever the run's {@code logEvery}: a run logging every 1,000 steps still
   * shows its progress every few seconds.
   */
  @WithDefault("PT2S")
  Duration progressInterval();

  /** How often a busy trainer shows it is alive (and learns of cancellations). */
  @WithDefault("PT5S")
  Duration heartbeatInterval();

  /** A RUNNING run whose trainer showed no life for this long is claimed again (it crashed). */
  @WithDefault("PT30S")
  Duration staleAfter();

  /** Batches read ahead from Kafka, so the TensorFlow session never waits on the network. */
  @WithDefault("16")
  int prefetchBatches();

  /** Where TensorFlow runs: auto (a GPU when one is visible), cpu or gpu. */
  @WithDefault("auto")
  DeviceChoice device();

  /**
   * The arithmetic of runs that do not name one: fp32 (the chapter's), bf16 (bfloat16 feature
   * blocks, float32 weights) or auto (bf16 where this trainer's CPU or GPU has bfloat16). It stays
   * fp32 until bf16's accuracy is measured on every seed the convergence bars use.
   */
  @WithDefault("fp32")
  Precision precision();

  /** How long a run waits for its batches to appear before it fails. */
  @WithDefault("PT10M")
  Duration batchTimeout();

  /**
   * Where each run writes TensorBoard event files ({@code <dir>/<run id>/}): point {@code
   * tensorboard --logdir} here. Unset, no event files are written.
   */
  Optional<String> tensorboardDir();

  /**
   * How long a run keeps retrying a database write while PostgreSQL is unreachable before it gives
   * up (and fails, to be resumed from its last checkpoint by a later claim).
   */
  @WithDefault("PT2M")
  Duration databasePatience();
}
