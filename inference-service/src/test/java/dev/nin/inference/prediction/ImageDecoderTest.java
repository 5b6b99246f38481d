package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nin.servicekit.web.InvalidFieldException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(GeneratedUploads.limits(100_000, 1000));

  @Test
  void aColourPictureBecomes28x28GrayscaleKeepingWhereTheGarmentIs() throws Exception {
    byte[] pixels = decoder.decode(picture("png", 280, 280, Color.RED), false);
    assertThat(pixels).hasSize(784);
    assertThat(pixels[0] & 0xff).as("corner: background").isZero();
    assertThat(pixels[14 * 28 + 14] & 0xff).as("centre: the red square, as gray").isBetween(60, 90);
  }

  @Test
  void invertSwapsLightAndDarkForPhotosOnAWhiteBackground() throws Exception {
    byte[] pixels = decoder.decode(picture("jpeg", 56, 56, Color.WHITE), true);
    assertThat(pixels[0] & 0xff).isEqualTo(255);
    assertThat(pixels[14 * 28 + 14] & 0xff).isLessThan(10);
  }

  @Test
  void aHugeImageIsRefusedFromItsHeaderAndGarbageIsRefused() throws Exception {
    assertThatThrownBy(() -> decoder.decode(picture("png", 2000, 1, Color.WHITE), false))
        .isInstanceOf(TooLargeException.class)
        .hasMessageContaining("2000x1");
    assertThatThrownBy(() -> decoder.decode(new byte[200_000], false))
        .isInstanceOf(TooLargeException.class);
    assertThatThrownBy(() -> decoder.decode("not an image".getBytes(), false))
        .isInstanceOf(InvalidFieldException.class);
  }

  @Test
  void aLargePictureIsDecodedSubsampledNotIntoAFullSizeRaster() throws Exception {
    var limits = GeneratedUploads.limits(4_000_000, 4096);
    var large = new ImageDecoder(limits);
    byte[] png = GeneratedUploads.sixteenBitPng(4096); // 32 MB of samples once decoded
    large.decode(png, false); // class loading and the first decode's buffers
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    byte[] pixels = large.decode(png, false);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(allocated)
        .as("bytes allocated decoding a 4096x4096 16-bit PNG (the full raster is 32 MB)")
        .isLessThan(8L << 20);
    assertThat(pixels[0] & 0xff).as("corner: background").isZero();
    assertThat(pixels[14 * 28 + 14] & 0xff).as("centre: the white square").isGreaterThan(250);
  }

  @Test
  void onlyPicturesOverFourTimesTheModelsSideAreSubsampled() {
    assertThat(ImageDecoder.subsamplingStep(28, 28)).isEqualTo(1);
    assertThat(ImageDecoder.subsamplingStep(223, 4096)).isEqualTo(1);
    assertThat(ImageDecoder.subsamplingStep(224, 224)).isEqualTo(2);
    assertThat(ImageDecoder.subsamplingStep(4096, 4096)).isEqualTo(36);
  }

  private static byte[] picture(String format, int width, int height, Color garment)
      throws Exception {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(garment);
    g.fillRect(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }
}
