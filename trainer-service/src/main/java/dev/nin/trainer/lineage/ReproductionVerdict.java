package dev.nin.trainer.lineage;

import dev.nin.core.checkpoint.NamedTensor;
import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.checkpoint.WeightsDigest;
import dev.nin.core.training.NinTrainer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How a reproduction's epoch compares with the original's same epoch: {@code identical} when the
 * weights digests are equal, else {@code differs} with the largest absolute weight difference and
 * the metric deltas (reproduction minus original), or {@code no-original} when the original had no
 * checkpoint of that epoch to compare with.
 */
public record ReproductionVerdict(
    String verdict,
    UUID originalRunId,
    Long originalCheckpointId,
    Double maxAbsWeightDiff,
    Double testTop1Delta,
    Double testLossDelta) {

  /** The original run's evaluated checkpoint of an epoch, with what a comparison needs. */
  public record OriginalEpoch(
      long checkpointId, String weightsSha256, double testTop1, double testLoss, byte[] stateZip) {}

  public static ReproductionVerdict judge(
      UUID originalRunId,
      Optional<OriginalEpoch> original,
      String weightsSha256,
      Supplier<List<NamedTensor>> weights,
      double testTop1,
      double testLoss) {
    if (original.isEmpty()) {
      return new ReproductionVerdict("no-original", originalRunId, null, null, null, null);
    }
    var o = original.get();
    double top1Delta = testTop1 - o.testTop1();
    double lossDelta = testLoss - o.testLoss();
    if (weightsSha256.equals(o.weightsSha256())) {
      return new ReproductionVerdict(
          "identical", originalRunId, o.checkpointId(), 0.0, top1Delta, lossDelta);
    }
    Double diff;
    try {
      var theirs = NinTrainer.servedWeights(TrainingState.fromZip(o.stateZip()));
      diff = WeightsDigest.maxAbsDifference(weights.get(), theirs);
    } catch (IllegalArgumentException otherShapes) {
      diff = null; // not the same network: no weight difference to speak of
    }
    return new ReproductionVerdict(
        "differs", originalRunId, o.checkpointId(), diff, top1Delta, lossDelta);
  }
}
