package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.dataset.FashionMnistFiles.Split;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated input for the IDX reader: random and mutated files, plain, gzipped, truncated gzip and
 * gzip bombs. Every one must be refused with a {@link DatasetException}, never another exception,
 * and a bomb must be refused by its decompressed size. Seed and count: {@code -Dnin.fuzz.seed},
 * {@code -Dnin.fuzz.cases}.
 */
class FashionMnistFilesFuzzTest {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.cases", 2000);

  @Test
  void everyGeneratedFileIsRefusedAsADatasetProblemAndNothingElse(@TempDir Path dir)
      throws Exception {
    var random = new SplittableRandom(SEED);
    String name = Split.TEST.labelsFile();
    int refused = 0;
    int bombs = 0;
    for (int i = 0; i < CASES; i++) {
      Files.deleteIfExists(dir.resolve(name));
      Files.deleteIfExists(dir.resolve(name + ".gz"));
      byte[] content = randomIdx(random);
      int shape = random.nextInt(4);
      boolean bomb = shape == 3 && i % 50 == 0;
      if (bomb) {
        content = new byte[8 * 1024 * 1024]; // a bomb: 8 MB of zeros, about 8 KB of gzip
        bombs++;
      }
      if (shape >= 2) {
        byte[] gz = gzip(content);
        if (shape == 2 && gz.length > 20) {
          gz = java.util.Arrays.copyOf(gz, random.nextInt(gz.length)); // truncated gzip
        }
        Files.write(dir.resolve(name + ".gz"), gz);
      } else {
        Files.write(dir.resolve(name), content);
      }
      try {
        FashionMnistFiles.readVerified(dir, name);
        throw new AssertionError("case " + i + " was accepted");
      } catch (DatasetException expected) {
        if (bomb) {
          assertThat(expected).hasMessageContaining("larger than the official");
        }
        refused++;
      }
    }
    System.out.printf(
        "generated IDX files: %d cases (seed %d, %d gzip bombs), %d refused as DatasetException,"
            + " 0 other exceptions%n",
        CASES, SEED, bombs, refused);
    assertThat(refused).isEqualTo(CASES);
  }

  @Test
  void everyGeneratedHeaderIsCheckedWithoutAnotherException() {
    var random = new SplittableRandom(SEED + 1);
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = randomIdx(random);
      try {
        FashionMnistFiles.checkHeader(
            Path.of("generated"), bytes, FashionMnistFiles.LABELS_MAGIC, 10_000, 8);
      } catch (DatasetException expected) {
        refused++;
      }
    }
    System.out.printf(
        "generated IDX headers: %d cases (seed %d), %d refused, 0 other exceptions%n",
        CASES, SEED + 1, refused);
    assertThat(refused).isPositive();
  }

  /** Random bytes, often with a plausible IDX header (right magic, odd counts) to get past it. */
  private static byte[] randomIdx(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(0, 4096)];
    random.nextBytes(bytes);
    if (bytes.length >= 8 && random.nextBoolean()) {
      var header = ByteBuffer.wrap(bytes);
      header.putInt(0, random.nextBoolean() ? FashionMnistFiles.LABELS_MAGIC : random.nextInt());
      header.putInt(4, random.nextBoolean() ? 10_000 : random.nextInt(-1, Integer.MAX_VALUE));
    }
    return bytes;
  }

  private static byte[] gzip(byte[] content) throws Exception {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }
}
