package dev.nin.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Everything needed to continue training exactly: the global step, every parameter, and the
 * optimizer's slots (Adam's first and second moments). Serialises to a zip (a database row) with a
 * JSON manifest and one little-endian float32 file per tensor; equal states give equal bytes, so
 * the SHA-256 identifies the state.
 */
public record TrainingState(long step, Map<String, String> modelInfo, List<NamedTensor> tensors) {

  static final String FORMAT = "nin-training-state/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01: reproducible zips

  public TrainingState {
    modelInfo = Map.copyOf(modelInfo);
    tensors = List.copyOf(tensors);
  }

  public boolean has(String name) {
    return tensors.stream().anyMatch(t -> t.name().equals(name));
  }

  public NamedTensor tensor(String name) {
    return tensors.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no tensor " + name + " in the state"));
  }

  public byte[] toZip() {
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes)) {
      // Floats barely compress; storing them keeps save and load fast.
      zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
      var manifest = new LinkedHashMap<String, Object>();
      manifest.put("format", FORMAT);
      manifest.put("step", step);
      manifest.put("model", new java.util.TreeMap<>(modelInfo));
      var entries = new ArrayList<Map<String, Object>>();
      for (int i = 0; i < tensors.size(); i++) {
        var t = tensors.get(i);
        entries.add(Map.of("name", t.name(), "shape", t.shape(), "file", file(i)));
      }
      manifest.put("tensors", entries);
      put(zip, "manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      for (int i = 0; i < tensors.size(); i++) {
        float[] values = tensors.get(i).values();
        var buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        put(zip, file(i), buffer.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads a zip made by {@link #toZip}; fails with the reason on anything else. */
  public static TrainingState fromZip(byte[] zipBytes) {
    var files = new LinkedHashMap<String, byte[]>();
    try (var zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.put(e.getName(), zip.readAllBytes());
      }
      byte[] manifestBytes = files.get("manifest.json");
      if (manifestBytes == null) {
        throw new IllegalArgumentException("not a training state: no manifest.json");
      }
      var manifest = JSON.readTree(manifestBytes);
      if (!FORMAT.equals(manifest.path("format").asText())) {
        throw new IllegalArgumentException(
            "unsupported training state format " + manifest.path("format"));
      }
      var modelInfo = new LinkedHashMap<String, String>();
      manifest
          .path("model")
          .fields()
          .forEachRemaining(f -> modelInfo.put(f.getKey(), f.getValue().asText()));
      var tensors = new ArrayList<NamedTensor>();
      for (var entry : manifest.path("tensors")) {
        String name = entry.path("name").asText();
        long[] shape = JSON.convertValue(entry.path("shape"), long[].class);
        byte[] data = files.get(entry.path("file").asText());
        if (data == null || data.length % 4 != 0) {
          throw new IllegalArgumentException("tensor " + name + " is missing or truncated");
        }
        float[] values = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        tensors.add(new NamedTensor(name, shape, values));
      }
      return new TrainingState(manifest.path("step").asLong(), modelInfo, tensors);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable training state: " + e.getMessage(), e);
    }
  }

  private static String file(int index) {
    return "tensors/" + index + ".f32";
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    var entry = new ZipEntry(name);
    entry.setTime(FIXED_TIME);
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
