package dev.nin.core.training;

import java.util.Locale;

/** Where training runs: {@code auto} takes a GPU when TensorFlow sees one, else the CPU. */
public enum DeviceChoice {
  AUTO,
  CPU,
  GPU;

  public static DeviceChoice parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be auto, cpu or gpu, was '" + name + "'", e);
    }
  }
}
