package dev.nin.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nin.dataset.FashionMnistFiles.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on the real official files (scripts/dataset.sh installs them; the suite needs them). */
class FashionMnistFilesTest {

  private static final Path OFFICIAL = FashionMnistFiles.DEFAULT_DIR;

  @Test
  void readsTheOfficialTrainingSplitWithItsKnownFirstLabels() throws Exception {
    LabeledImages train = FashionMnistFiles.read(OFFICIAL, Split.TRAIN);

    assertThat(train.count()).isEqualTo(60_000);
    assertThat(java.util.stream.IntStream.range(0, 10).map(train::label).toArray())
        .containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
    assertThat(train.classCounts(10)).containsOnly(6_000);
  }

  @Test
  void readsTheOfficialTestSplitBalanced() throws Exception {
    assertThat(FashionMnistFiles.read(OFFICIAL, Split.TEST).classCounts(10)).containsOnly(1_000);
  }

  @Test
  void refusesATruncatedFileNamingIt(@TempDir Path dir) throws Exception {
    copyOfficial(dir);
    byte[] labels = FashionMnistFiles.readVerified(OFFICIAL, "t10k-labels-idx1-ubyte");
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), java.util.Arrays.copyOf(labels, 5000));

    assertThatThrownBy(() -> FashionMnistFiles.read(dir, Split.TEST))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("t10k-labels-idx1-ubyte")
        .hasMessageContaining("SHA-256");
  }

  @Test
  void refusesAFileOfTheRightLengthWhoseChecksumIsWrong(@TempDir Path dir) throws Exception {
    copyOfficial(dir);
    byte[] labels = FashionMnistFiles.readVerified(OFFICIAL, "t10k-labels-idx1-ubyte");
    labels[labels.length - 1] = (byte) ((labels[labels.length - 1] + 1) % 10); // one label changed
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);

    assertThatThrownBy(() -> FashionMnistFiles.read(dir, Split.TEST))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("t10k-labels-idx1-ubyte")
        .hasMessageContaining("is not the official");
  }

  @Test
  void refusesAWrongMagicNumber(@TempDir Path dir) {
    byte[] imagesFileHeader = {0, 0, 8, 3, 0, 0, 0, 1};

    assertThatThrownBy(
            () ->
                FashionMnistFiles.checkHeader(
                    dir.resolve("labels"), imagesFileHeader, FashionMnistFiles.LABELS_MAGIC, 1, 8))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels: wrong magic number 0x00000803, expected 0x00000801");
  }

  @Test
  void refusesAMissingFileSayingHowToGetIt(@TempDir Path dir) {
    assertThatThrownBy(() -> FashionMnistFiles.read(dir, Split.TEST))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("missing")
        .hasMessageContaining("dataset-fashion-mnist");
  }

  private static void copyOfficial(Path dir) throws IOException, DatasetException {
    for (String name : FashionMnistFiles.SHA256.keySet()) {
      Files.copy(FashionMnistFiles.locate(OFFICIAL, name), dir.resolve(name + ".gz"));
    }
  }
}
