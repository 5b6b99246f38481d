package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.contracts.web.InvalidFieldException;
import dev.nin.inference.config.InferenceConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Generated uploads for the image decoder: PNG and JPEG files with flipped bytes, cut short,
 * spliced, or replaced by noise. Each decodes to 784 pixels or is refused as a 400 or 413 problem,
 * never another exception. Seed and count: {@code -Dnin.fuzz.seed}, {@code -Dnin.fuzz.cases}.
 */
class ImageDecoderFuzzTest {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.cases", 2000);

  private final ImageDecoder decoder =
      new ImageDecoder(
          new InferenceConfig.Limits() {
            @Override
            public int maxImages() {
              return 256;
            }

            @Override
            public int maxUploadBytes() {
              return 2 * 1024 * 1024;
            }

            @Override
            public int maxImageSide() {
              return 4096;
            }
          });

  @Test
  void everyGeneratedUploadDecodesOrIsRefusedAsAProblem() throws Exception {
    var random = new SplittableRandom(SEED);
    List<byte[]> seeds =
        List.of(
            picture("png", 28, 28, BufferedImage.TYPE_BYTE_GRAY),
            picture("png", 64, 40, BufferedImage.TYPE_INT_RGB),
            picture("png", 30, 30, BufferedImage.TYPE_USHORT_GRAY),
            picture("jpeg", 56, 56, BufferedImage.TYPE_INT_RGB));
    int decoded = 0;
    int invalid = 0;
    int tooLarge = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] upload = mutate(random, seeds.get(random.nextInt(seeds.size())));
      try {
        assertThat(decoder.decode(upload, random.nextBoolean())).hasSize(784);
        decoded++;
      } catch (InvalidFieldException e) {
        invalid++;
      } catch (TooLargeException e) {
        tooLarge++;
      }
    }
    System.out.printf(
        "generated image uploads: %d cases (seed %d): %d decoded, %d refused 400, %d refused 413,"
            + " 0 other exceptions%n",
        CASES, SEED, decoded, invalid, tooLarge);
    assertThat(decoded + invalid + tooLarge).isEqualTo(CASES);
    assertThat(invalid).as("the generator reaches the decoder's refusals").isPositive();
  }

  private static byte[] mutate(SplittableRandom random, byte[] file) {
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

  private static byte[] picture(String format, int width, int height, int type) throws Exception {
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
