package dev.nin.trainer.checkpoints;

import java.util.UUID;

/**
 * What a run needs to continue from a checkpoint: the training state and where to read next.
 *
 * @param kind evaluated and servable at an epoch's end, or mid-epoch to resume
 * @param nextOffset offset of the first train-topic record not yet applied
 * @param epochProgressJson the epoch's running sums at that point (empty after an epoch end)
 */
public record Checkpoint(
    long id,
    UUID runId,
    int epoch,
    long step,
    CheckpointKind kind,
    byte[] stateZip,
    String stateSha256,
    long nextOffset,
    String epochProgressJson) {}
