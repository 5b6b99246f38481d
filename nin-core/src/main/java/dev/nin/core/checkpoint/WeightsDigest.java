package dev.nin.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a model is, as one SHA-256: the weights alone, in a canonical order and byte layout, so two
 * checkpoints with equal weights have equal digests whatever their run id, time, zip layout or
 * optimizer state. Canonical form: tensors sorted by name; for each, its name in UTF-8 and a 0
 * byte, its rank as a little-endian int32 and each dimension as a little-endian int64, then its
 * values as little-endian IEEE-754 float32 bit patterns (so -0.0 and 0.0 differ, as bits do).
 */
public final class WeightsDigest {

  private WeightsDigest() {}

  public static String of(List<NamedTensor> weights) {
    MessageDigest sha = sha256();
    for (NamedTensor t : sorted(weights)) {
      sha.update(t.name().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      var header = ByteBuffer.allocate(4 + 8 * t.shape().length).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(t.shape().length);
      for (long d : t.shape()) {
        header.putLong(d);
      }
      sha.update(header.array());
      var values = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : t.values()) {
        values.putInt(Float.floatToRawIntBits(v));
      }
      sha.update(values.array());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The largest absolute difference between two models' weights, tensor by tensor; 0 when they are
   * identical. Fails when the two do not have the same tensors and shapes (no difference to speak
   * of between two different networks).
   */
  public static double maxAbsDifference(List<NamedTensor> a, List<NamedTensor> b) {
    Map<String, NamedTensor> other =
        b.stream().collect(Collectors.toMap(NamedTensor::name, Function.identity()));
    if (other.size() != a.size()) {
      throw new IllegalArgumentException(
          "the models have " + a.size() + " and " + other.size() + " tensors");
    }
    double max = 0;
    for (NamedTensor t : a) {
      NamedTensor u = other.get(t.name());
      if (u == null || !Arrays.equals(t.shape(), u.shape())) {
        throw new IllegalArgumentException("the models differ in tensor " + t);
      }
      for (int i = 0; i < t.values().length; i++) {
        max = Math.max(max, Math.abs((double) t.values()[i] - u.values()[i]));
      }
    }
    return max;
  }

  private static List<NamedTensor> sorted(List<NamedTensor> weights) {
    return weights.stream().sorted(Comparator.comparing(NamedTensor::name)).toList();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
