package dev.nin.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads and validates the official Fashion-MNIST IDX files (plain or {@code .gz}, as Debian's
 * {@code dataset-fashion-mnist} installs them): magic numbers, dimensions, counts, label range and
 * the SHA-256 of the decompressed bytes. A file that fails any check is refused whole.
 */
public final class FashionMnistFiles {

  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The two splits, with their official file names and sizes. */
  public enum Split {
    TRAIN("train", 60_000),
    TEST("t10k", 10_000);

    private final String prefix;
    private final int count;

    Split(String prefix, int count) {
      this.prefix = prefix;
      this.count = count;
    }

    public String imagesFile() {
      return prefix + "-images-idx3-ubyte";
    }

    public String labelsFile() {
      return prefix + "-labels-idx1-ubyte";
    }

    public int count() {
      return count;
    }
  }

  /** SHA-256 of the decompressed official files. */
  public static final Map<String, String> SHA256 =
      Map.of(
          "train-images-idx3-ubyte",
          "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
          "train-labels-idx1-ubyte",
          "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
          "t10k-images-idx3-ubyte",
          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
          "t10k-labels-idx1-ubyte",
          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  private FashionMnistFiles() {}

  /** One split, fully validated. */
  public static LabeledImages read(Path dir, Split split) throws DatasetException {
    byte[] images = readVerified(dir, split.imagesFile());
    byte[] labels = readVerified(dir, split.labelsFile());
    Path imagesPath = locate(dir, split.imagesFile());
    Path labelsPath = locate(dir, split.labelsFile());
    int count = checkHeader(imagesPath, images, IMAGES_MAGIC, split.count(), 16);
    int rows = ByteBuffer.wrap(images).getInt(8);
    int cols = ByteBuffer.wrap(images).getInt(12);
    if (rows != 28 || cols != 28) {
      throw new DatasetException(
          imagesPath, "images are " + rows + "x" + cols + ", expected 28x28");
    }
    if (images.length != 16 + count * LabeledImages.PIXELS) {
      throw new DatasetException(
          imagesPath,
          "truncated or padded: "
              + images.length
              + " bytes, a header and "
              + count
              + " images need "
              + (16 + count * LabeledImages.PIXELS));
    }
    int labelCount = checkHeader(labelsPath, labels, LABELS_MAGIC, split.count(), 8);
    if (labels.length != 8 + labelCount) {
      throw new DatasetException(
          labelsPath,
          "truncated or padded: " + labels.length + " bytes for " + labelCount + " labels");
    }
    byte[] pixels = new byte[count * LabeledImages.PIXELS];
    System.arraycopy(images, 16, pixels, 0, pixels.length);
    byte[] labelBytes = new byte[count];
    System.arraycopy(labels, 8, labelBytes, 0, count);
    for (int i = 0; i < count; i++) {
      if ((labelBytes[i] & 0xFF) > 9) {
        throw new DatasetException(labelsPath, "label " + (labelBytes[i] & 0xFF) + " at " + i);
      }
    }
    return new LabeledImages(pixels, labelBytes);
  }

  /** The plain or gzipped file of that name in {@code dir}. */
  public static Path locate(Path dir, String name) throws DatasetException {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new DatasetException(
        plain,
        "missing (neither "
            + name
            + " nor "
            + name
            + ".gz): install Debian's dataset-fashion-mnist or run scripts/dataset.sh");
  }

  /** The decompressed bytes of a file, refused unless their SHA-256 is the official one. */
  public static byte[] readVerified(Path dir, String name) throws DatasetException {
    Path file = locate(dir, name);
    byte[] bytes;
    long officialSize = officialSize(name);
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      // the limit holds after decompression: a small gzip must not inflate past the official size
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, officialSize + 1));
      if (bytes.length > officialSize) {
        throw new DatasetException(
            file, "larger than the official " + officialSize + " bytes (decompressed)");
      }
    } catch (IOException e) {
      throw new DatasetException(
          file, "unreadable (corrupt gzip or I/O error): " + e.getMessage(), e);
    }
    String actual = sha256(bytes);
    String expected = SHA256.get(name);
    if (!actual.equals(expected)) {
      throw new DatasetException(
          file,
          "SHA-256 " + actual + " is not the official " + expected + " (corrupt or modified)");
    }
    return bytes;
  }

  /** The official decompressed size of a file: its IDX header and one byte or image per item. */
  static long officialSize(String name) {
    for (Split split : Split.values()) {
      if (name.equals(split.imagesFile())) {
        return 16L + (long) split.count() * LabeledImages.PIXELS;
      }
      if (name.equals(split.labelsFile())) {
        return 8L + split.count();
      }
    }
    throw new IllegalArgumentException("not a Fashion-MNIST file: " + name);
  }

  static int checkHeader(Path file, byte[] bytes, int magic, int expectedCount, int header)
      throws DatasetException {
    if (bytes.length < header) {
      throw new DatasetException(file, "truncated: " + bytes.length + " bytes, no IDX header");
    }
    var buffer = ByteBuffer.wrap(bytes);
    int actualMagic = buffer.getInt(0);
    if (actualMagic != magic) {
      throw new DatasetException(
          file, String.format("wrong magic number 0x%08x, expected 0x%08x", actualMagic, magic));
    }
    int count = buffer.getInt(4);
    if (count != expectedCount) {
      throw new DatasetException(file, count + " items, the official file has " + expectedCount);
    }
    return count;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
