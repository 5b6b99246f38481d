package dev.nin.core.training;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/**
 * The arithmetic the network computes in. The weights, Adam's moments, the loss and the checkpoints
 * stay float32 in every precision (master weights); {@code bf16} computes the feature blocks'
 * convolutions, ReLUs and max-pools in bfloat16 (see {@link dev.nin.core.graph.NinGraph}), fast on
 * CPUs with AVX-512 BF16 or AMX and on GPUs from compute capability 8.0. {@code auto} takes bf16
 * where the hardware has it and fp32 elsewhere; a run stores what {@code auto} resolved to, so that
 * it resumes in the precision it started in.
 */
public enum Precision {
  FP32,
  BF16,
  AUTO;

  /** CPU flags (as {@code /proc/cpuinfo} spells them) with bfloat16 dot products. */
  static final Set<String> BF16_CPU_FLAGS = Set.of("avx512_bf16", "amx_bf16");

  /**
   * Its name as the API and the command line spell it: {@code fp32}, {@code bf16}, {@code auto}.
   */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the feature blocks compute in bfloat16 (only after {@link #resolve}). */
  public boolean bfloat16() {
    return this == BF16;
  }

  /** {@code auto} made concrete for the hardware described; fp32 and bf16 stay as they are. */
  public Precision resolve(HardwareFeatures hardware) {
    if (this != AUTO) {
      return this;
    }
    return hardware.hasBfloat16() ? BF16 : FP32;
  }

  /** {@code fp32}, {@code bf16} or {@code auto}, in any case. */
  public static Precision parse(String name) {
    for (Precision p : values()) {
      if (p.id().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision must be fp32, bf16 or auto, was '" + name + "'");
  }
}
