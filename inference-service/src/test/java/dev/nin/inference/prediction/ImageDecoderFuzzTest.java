package dev.nin.inference.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.servicekit.web.InvalidFieldException;
import java.util.List;
import java.util.SplittableRandom;
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
      new ImageDecoder(GeneratedUploads.limits(2 * 1024 * 1024, 4096));

  @Test
  void everyGeneratedUploadDecodesOrIsRefusedAsAProblem() throws Exception {
    var random = new SplittableRandom(SEED);
    List<byte[]> seeds = GeneratedUploads.pictures();
    int decoded = 0;
    int invalid = 0;
    int tooLarge = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] upload = GeneratedUploads.mutate(random, seeds.get(random.nextInt(seeds.size())));
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
}
