package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;

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
}
