package dev.nin.core.model;

/**
 * The seed chapter's recipe (NiN on Fashion-MNIST, {@code ../shared/seed/nin-chapter.md}): every
 * default the API, the CLI, the summary and the configurations fill in comes from here, so the
 * chapter is written down once.
 */
public final class Chapter {

  /** Side the 28×28 images are resized to. */
  public static final int RESIZE = 224;

  /** 1×1 convolutions after each block's first convolution ({@code nin_block}'s two). */
  public static final int ONE_BY_ONE_CONVS = 2;

  /** Dropout before the last block. */
  public static final double DROPOUT = 0.5;

  /** Fashion-MNIST's classes, the last block's channels. */
  public static final int CLASSES = dev.nin.contracts.FashionMnist.CLASS_COUNT;

  /** Adam's learning rate. */
  public static final double LEARNING_RATE = 0.001;

  /** Images per training step. */
  public static final int BATCH_SIZE = 128;

  /** Passes over the training split. */
  public static final int EPOCHS = 10;

  /**
   * The product's seed when none is given. The chapter fixes none; any fixed one makes a run
   * repeatable, and the API, the CLI and the model's defaults all use this one.
   */
  public static final long SEED = 42;

  /**
   * Steps between two logged training metrics when none is asked for: the product's choice, about
   * nine lines an epoch of the full split at the chapter's batch size.
   */
  public static final int LOG_EVERY = 50;

  private Chapter() {}
}
