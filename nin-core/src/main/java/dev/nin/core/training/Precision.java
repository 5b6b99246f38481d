package dev.nin.core.training;

import java.util.Locale;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/**
 * The arithmetic a session computes in. The weights, Adam's moments and the checkpoints stay
 * float32 in both; {@code bf16} lets TensorFlow's oneDNN auto-mixed-precision graph rewrite run the
 * convolutions, pooling and activations in bfloat16 (fast on CPUs with AVX-512 BF16 or AMX),
 * casting at the edges, as Keras's {@code mixed_bfloat16} policy does.
 */
public enum Precision {
  FP32,
  BF16;

  /** Its name as the command line spells it: {@code fp32}, {@code bf16}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code session} with this precision's graph rewrite switched on (unchanged for fp32). */
  public ConfigProto applyTo(ConfigProto session) {
    if (this == FP32) {
      return session;
    }
    var builder = session.toBuilder();
    builder
        .getGraphOptionsBuilder()
        .getRewriteOptionsBuilder()
        .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
    return builder.build();
  }

  /** {@code fp32} or {@code bf16}, in any case. */
  public static Precision parse(String name) {
    for (Precision p : values()) {
      if (p.id().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision must be fp32 or bf16, was '" + name + "'");
  }
}
