package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AugmentationTest {

  @Test
  void flipsSomeImagesLeftRightAndTheSameOnesEveryTime() {
    byte[] pixels = new byte[64 * LabeledImages.PIXELS];
    for (int i = 0; i < 64; i++) {
      pixels[i * LabeledImages.PIXELS] = 1; // top-left pixel of every image
    }
    byte[] again = pixels.clone();

    Augmentation.flipHorizontally(pixels, 7, 2, 5);
    Augmentation.flipHorizontally(again, 7, 2, 5);

    int flipped = 0;
    for (int i = 0; i < 64; i++) {
      int base = i * LabeledImages.PIXELS;
      if (pixels[base + 27] == 1) {
        flipped++;
        assertThat(pixels[base]).isZero();
      }
    }
    assertThat(flipped).isBetween(16, 48);
    assertThat(again).isEqualTo(pixels);
  }

  @Test
  void cropsShiftEachImageByAtMostThePaddingFillWithBackgroundAndRepeatForTheSameSeed() {
    // every image a single lit pixel in the middle: where it lands is the crop's offset
    int images = 200;
    byte[] pixels = new byte[images * LabeledImages.PIXELS];
    for (int i = 0; i < images; i++) {
      pixels[i * LabeledImages.PIXELS + 14 * 28 + 14] = 1;
    }
    byte[] again = pixels.clone();
    byte[] otherSeed = pixels.clone();

    Augmentation.cropWithPadding(pixels, 2, 7, 2, 5);
    Augmentation.cropWithPadding(again, 2, 7, 2, 5);
    Augmentation.cropWithPadding(otherSeed, 2, 8, 2, 5);

    var offsets = new java.util.HashSet<String>();
    for (int i = 0; i < images; i++) {
      int lit = -1;
      for (int p = 0; p < LabeledImages.PIXELS; p++) {
        if (pixels[i * LabeledImages.PIXELS + p] != 0) {
          assertThat(lit).as("image %d holds one lit pixel", i).isEqualTo(-1);
          lit = p;
        }
      }
      int dy = lit / 28 - 14;
      int dx = lit % 28 - 14;
      assertThat(dy).isBetween(-2, 2);
      assertThat(dx).isBetween(-2, 2);
      offsets.add(dy + "," + dx);
    }
    assertThat(offsets).as("all 25 offsets of a 2-pixel padding occur").hasSize(25);
    assertThat(again).as("the same seed, epoch and batch").isEqualTo(pixels);
    assertThat(otherSeed).as("another seed").isNotEqualTo(pixels);
  }

  @Test
  void aCropPushesTheEdgeOutAndBringsBackgroundIn() {
    // a shift of (dy, dx) keeps a (28-|dy|)·(28-|dx|) rectangle of the image, the rest background
    var kept = new java.util.HashSet<Integer>();
    for (int dy = 0; dy <= 8; dy++) {
      for (int dx = 0; dx <= 8; dx++) {
        kept.add((28 - dy) * (28 - dx));
      }
    }
    byte[] image = new byte[64 * LabeledImages.PIXELS];
    java.util.Arrays.fill(image, (byte) 9);
    Augmentation.cropWithPadding(image, 8, 1, 0, 3);
    int shifted = 0;
    for (int i = 0; i < 64; i++) {
      int lit = 0;
      for (int p = 0; p < LabeledImages.PIXELS; p++) {
        lit += image[i * LabeledImages.PIXELS + p] == 9 ? 1 : 0;
      }
      assertThat(kept).as("image %d keeps a rectangle", i).contains(lit);
      shifted += lit < LabeledImages.PIXELS ? 1 : 0;
    }
    // 1 in 17² images keeps its place: nearly all of them move
    assertThat(shifted).isGreaterThan(56);
  }

  @Test
  void noPaddingLeavesTheImagesAloneAndTooMuchIsRefused() {
    byte[] pixels = new byte[3 * LabeledImages.PIXELS];
    new java.util.Random(1).nextBytes(pixels);
    byte[] before = pixels.clone();
    Augmentation.cropWithPadding(pixels, 0, 7, 0, 0);
    assertThat(pixels).isEqualTo(before);
    assertThatThrownBy(() -> Augmentation.cropWithPadding(pixels, 9, 7, 0, 0))
        .hasMessageContaining("crop padding must be in [0, 8], was 9");
  }
}
