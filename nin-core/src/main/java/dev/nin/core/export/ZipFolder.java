package dev.nin.core.export;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A SavedModel folder to and from zip bytes, the form a checkpoint row stores it in. */
public final class ZipFolder {

  private static final long FIXED_TIME = 315_532_800_000L;
  private static final long MAX_UNPACKED_BYTES = 1L << 30;

  private ZipFolder() {}

  public static byte[] zip(Path folder) {
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes);
        var paths = Files.walk(folder)) {
      List<Path> files = paths.filter(Files::isRegularFile).sorted().toList();
      for (Path file : files) {
        var entry = new ZipEntry(folder.relativize(file).toString().replace('\\', '/'));
        entry.setTime(FIXED_TIME);
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not zip " + folder, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Unpacks into {@code target}, refusing entries that would escape it and archives that unpack to
   * more than 1 GiB (a zip bomb must not fill the disk of a serving node).
   */
  public static void unzip(byte[] zipBytes, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    long total = 0;
    int entries = 0;
    try (var zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries++;
        Path out = root.resolve(e.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new IOException("zip entry escapes the target folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (var os = Files.newOutputStream(out)) {
          byte[] buffer = new byte[64 * 1024];
          for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
            total += n;
            if (total > MAX_UNPACKED_BYTES) {
              throw new IOException("zip unpacks to more than 1 GiB");
            }
            os.write(buffer, 0, n);
          }
        }
      }
    }
    if (entries == 0) {
      throw new IOException("not a zip archive, or an empty one");
    }
  }
}
