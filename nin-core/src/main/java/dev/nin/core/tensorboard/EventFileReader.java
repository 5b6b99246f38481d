package dev.nin.core.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads a TensorBoard event file the way TensorBoard does: TFRecord framing (length, masked CRC-32C
 * of the length, data, masked CRC-32C of the data), each record one {@code Event} proto. Fails on
 * any CRC mismatch.
 */
public final class EventFileReader {

  private EventFileReader() {}

  /** Every event of one file, in order; an {@link IOException} on a torn or corrupt record. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (bytes.hasRemaining()) {
      byte[] header = new byte[8];
      bytes.get(header);
      long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      check(header, bytes.getInt(), "length");
      byte[] data = new byte[(int) length];
      bytes.get(data);
      check(data, bytes.getInt(), "data");
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  /** One scalar point of a TensorBoard curve. */
  public record Scalar(String tag, long step, float value) {}

  /** Every scalar in the event files of {@code folder} (one run's folder), file by file. */
  public static List<Scalar> scalars(Path folder) throws IOException {
    List<Scalar> scalars = new ArrayList<>();
    List<Path> files;
    try (var listing = Files.list(folder)) {
      files =
          listing
              .filter(f -> f.getFileName().toString().startsWith("events.out.tfevents."))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      for (Event event : read(file)) {
        for (var value : event.getSummary().getValueList()) {
          scalars.add(new Scalar(value.getTag(), event.getStep(), scalarOf(value)));
        }
      }
    }
    return scalars;
  }

  /** TF2's WriteScalarSummary stores a scalar tensor; TF1 wrote {@code simple_value}. */
  private static float scalarOf(org.tensorflow.proto.Summary.Value value) {
    if (!value.hasTensor()) {
      return value.getSimpleValue();
    }
    var tensor = value.getTensor();
    return tensor.getFloatValCount() > 0
        ? tensor.getFloatVal(0)
        : ByteBuffer.wrap(tensor.getTensorContent().toByteArray())
            .order(ByteOrder.LITTLE_ENDIAN)
            .getFloat();
  }

  private static void check(byte[] bytes, int storedMaskedCrc, String what) throws IOException {
    if (masked(bytes) != storedMaskedCrc) {
      throw new IOException("CRC mismatch in a record's " + what);
    }
  }

  /** TFRecord's masked CRC-32C: rotate right by 15 bits, add a constant. */
  static int masked(byte[] bytes) {
    var crc = new CRC32C();
    crc.update(bytes);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }
}
