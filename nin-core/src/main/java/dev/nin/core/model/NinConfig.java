package dev.nin.core.model;

/**
 * What can vary in the seed's NiN. Defaults are the chapter's: 224 px, two 1×1 convolutions per
 * block, dropout 0.5, 10 classes.
 *
 * @param resize side of the square the 28×28 input is bilinearly resized to, inside the graph
 * @param oneByOneConvs 1×1 convolutions after each block's first convolution (2; 1 for exercise 2)
 * @param dropout rate of the dropout before the last block
 * @param classes number of outputs (channels of the last block)
 * @param init initialisation of the parameters
 * @param seed seed of the initial weights and of the dropout masks
 */
public record NinConfig(
    int resize, int oneByOneConvs, double dropout, int classes, WeightInit init, long seed) {

  /**
   * The largest input side accepted: 512 px already needs about 5× the chapter's compute per image,
   * and the figures derived from the size (FLOPs, memory) must stay far from overflow.
   */
  public static final int LARGEST_RESIZE = 512;

  public NinConfig {
    if (oneByOneConvs < 0 || oneByOneConvs > 4) {
      throw new IllegalArgumentException("oneByOneConvs must be in [0, 4], was " + oneByOneConvs);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be at least 2, was " + classes);
    }
    if (init == null) {
      throw new IllegalArgumentException("init must be set");
    }
    int smallest = ShapeWalk.smallestInput(NinArchitecture.of(classes, dropout, oneByOneConvs));
    if (resize > LARGEST_RESIZE) {
      throw new IllegalArgumentException(
          "resize must be at most " + LARGEST_RESIZE + " px (was " + resize + ")");
    }
    if (resize < smallest) {
      throw new IllegalArgumentException(
          "resize must be at least "
              + smallest
              + " px: below that a pooling window no longer fits (was "
              + resize
              + ")");
    }
  }

  /** The chapter's configuration: 224 px, two 1×1 convs, dropout 0.5, 10 classes. */
  public static NinConfig chapter() {
    return new NinConfig(
        Chapter.RESIZE,
        Chapter.ONE_BY_ONE_CONVS,
        Chapter.DROPOUT,
        Chapter.CLASSES,
        WeightInit.DEFAULT,
        Chapter.SEED);
  }

  public NinConfig withResize(int newResize) {
    return new NinConfig(newResize, oneByOneConvs, dropout, classes, init, seed);
  }

  public NinConfig withOneByOneConvs(int n) {
    return new NinConfig(resize, n, dropout, classes, init, seed);
  }

  public NinConfig withSeed(long newSeed) {
    return new NinConfig(resize, oneByOneConvs, dropout, classes, init, newSeed);
  }

  public NinConfig withInit(WeightInit newInit) {
    return new NinConfig(resize, oneByOneConvs, dropout, classes, newInit, seed);
  }

  public NinConfig withDropout(double rate) {
    return new NinConfig(resize, oneByOneConvs, rate, classes, init, seed);
  }

  public NinArchitecture architecture() {
    return NinArchitecture.of(this);
  }
}
