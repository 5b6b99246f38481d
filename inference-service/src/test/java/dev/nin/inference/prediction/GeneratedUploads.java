package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.inference.config.InferenceConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Generated uploads: small real pictures, and ways to damage them. */
final class GeneratedUploads {

  private GeneratedUploads() {}

  /**
   * A mostly black 16-bit grayscale picture with a white square in the middle: about a hundred KB
   * of PNG for 4096 a side, 32 MB of samples once decoded in full.
   */
  static byte[] sixteenBitPng(int side) throws Exception {
    var picture = new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY);
    var g = picture.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(side / 4, side / 4, side / 2, side / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(picture, "png", out)).isTrue();
    return out.toByteArray();
  }

  /** Decoder limits for tests: 256 images, the given upload size and side. */
  static InferenceConfig.Limits limits(int maxUploadBytes, int maxImageSide) {
    return new InferenceConfig.Limits() {
      @Override
      public int maxImages() {
        return 256;
      }

      @Override
      public int maxUploadBytes() {
        return maxUploadBytes;
      }

      @Override
      public int maxImageSide() {
        return maxImageSide;
      }
    };
  }

  /** A few real pictures of the kinds clients send: PNG gray, RGB and 16-bit, and JPEG. */
  static List<byte[]> pictures() throws Exception {
    return List.of(
        picture("png", 28, 28, BufferedImage.TYPE_BYTE_GRAY),
        picture("png", 64, 40, BufferedImage.TYPE_INT_RGB),
        picture("png", 30, 30, BufferedImage.TYPE_USHORT_GRAY),
        picture("jpeg", 56, 56, BufferedImage.TYPE_INT_RGB));
  }

  static byte[] mutate(SplittableRandom random, byte[] file) {
    byte[] bytes = file.clone();
    switch (random.nextInt(5)) {
      case 0 -> { // flipped bits, anywhere (headers and chunk lengths included)
        for (int flips = random.nextInt(1, 8); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length)); // cut short
      case 2 -> { // a run of noise over the middle
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + random.nextInt(1, 64));
        for (int k = from; k < to; k++) {
          bytes[k] = (byte) random.nextInt(256);
        }
      }
      case 3 -> { // the header's width and height bytes (PNG IHDR) set to anything
        if (bytes.length > 24 && bytes[1] == 'P') {
          for (int k = 16; k < 24; k++) {
            bytes[k] = (byte) random.nextInt(256);
          }
        }
      }
      default -> { // noise with the file's first bytes
        byte[] noise = new byte[random.nextInt(1, 4096)];
        random.nextBytes(noise);
        System.arraycopy(bytes, 0, noise, 0, Math.min(8, noise.length));
        bytes = noise;
      }
    }
    return bytes;
  }

  static byte[] picture(String format, int width, int height, int type) throws Exception {
    var image = new BufferedImage(width, height, type);
    var g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }
}
