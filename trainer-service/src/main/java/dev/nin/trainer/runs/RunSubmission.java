package dev.nin.trainer.runs;

/**
 * The body of {@code POST /api/runs}. Every field is optional; what is missing takes the seed
 * chapter's value (learning rate 0.001, batch 128, 10 epochs, 224 px, Adam, two 1×1 convs, dropout
 * 0.5, the default recipe). {@code warmupSteps}, {@code labelSmoothing} and {@code averageDecay}
 * override what the recipe sets; {@code schedule} is {@code constant} unless asked (no recipe
 * decays the rate; {@code step} divides it by ten at half and three quarters of the run), and
 * {@code weightDecay} is 0 unless asked (decoupled, as AdamW), and so is {@code cropPadding}
 * (random crops of the training images after that much zero padding). {@code earlyStopPatience}
 * ends a run {@code STOPPED_EARLY} after that many evaluated epochs without a test top-1 that beats
 * the best so far by more than {@code earlyStopMinDelta} (default 0); unset, every epoch runs.
 * {@code precision} ({@code fp32}, {@code bf16} or {@code auto}) defaults to the trainer's {@code
 * nin.trainer.precision}. Unknown fields are refused.
 */
public record RunSubmission(
    String name,
    Double learningRate,
    Integer batchSize,
    Integer epochs,
    Integer resize,
    String optimizer,
    Integer oneByOneConvs,
    Double dropout,
    Long seed,
    Integer trainLimit,
    Integer testLimit,
    Boolean augment,
    Integer logEvery,
    Integer checkpointEverySteps,
    String recipe,
    Integer warmupSteps,
    String schedule,
    Double labelSmoothing,
    Double averageDecay,
    String precision,
    Double weightDecay,
    Integer cropPadding,
    Integer earlyStopPatience,
    Double earlyStopMinDelta) {}
