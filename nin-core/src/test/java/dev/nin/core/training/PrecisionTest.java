package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nin.core.graph.NinGraph;
import dev.nin.core.model.NinConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;

/**
 * bfloat16 compute: the feature blocks in bfloat16, the classifier and the state in float32, and
 * {@code auto} taking bfloat16 only where the hardware has it.
 */
class PrecisionTest {

  private static final HardwareFeatures ZEN4 =
      new HardwareFeatures(Set.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16"), 0);
  private static final HardwareFeatures SKYLAKE =
      new HardwareFeatures(Set.of("avx2", "fma", "avx512f"), 0);
  private static final HardwareFeatures SAPPHIRE_RAPIDS =
      new HardwareFeatures(Set.of("avx2", "avx512f", "amx_tile", "amx_bf16"), 0);

  @Test
  void autoTakesBfloat16OnlyWhereTheCpuOrGpuHasIt() {
    assertThat(Precision.AUTO.resolve(ZEN4)).isEqualTo(Precision.BF16);
    assertThat(Precision.AUTO.resolve(SAPPHIRE_RAPIDS)).isEqualTo(Precision.BF16);
    assertThat(Precision.AUTO.resolve(SKYLAKE)).isEqualTo(Precision.FP32);
    // on a GPU its compute capability decides, whatever the host CPU has
    assertThat(Precision.AUTO.resolve(new HardwareFeatures(ZEN4.cpuFlags(), 7.5)))
        .isEqualTo(Precision.FP32);
    assertThat(Precision.AUTO.resolve(new HardwareFeatures(SKYLAKE.cpuFlags(), 8.0)))
        .isEqualTo(Precision.BF16);
    // an explicit choice is kept, whatever the hardware
    assertThat(Precision.BF16.resolve(SKYLAKE)).isEqualTo(Precision.BF16);
    assertThat(Precision.FP32.resolve(ZEN4)).isEqualTo(Precision.FP32);
  }

  @Test
  void theCpuFlagsAreReadFromCpuinfo() {
    String cpuinfo =
        """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni
        bugs\t\t: sysret_ss_attrs

        processor\t: 1
        flags\t\t: fpu sse2
        """;

    assertThat(HardwareFeatures.cpuFlags(cpuinfo))
        .containsExactlyInAnyOrder("fpu", "sse2", "avx2", "avx512f", "avx512_bf16", "avx512_vnni");
    assertThat(HardwareFeatures.cpuFlags("no flags here")).isEmpty();
  }

  @Test
  void theNamesAreTheApisAndOthersAreRefused() {
    assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
    assertThat(Precision.parse("auto")).isEqualTo(Precision.AUTO);
    assertThat(Precision.FP32.id()).isEqualTo("fp32");
    assertThatThrownBy(() -> Precision.parse("fp16")).hasMessageContaining("fp32, bf16 or auto");
  }

  @Test
  void inBfloat16TheFeatureBlocksComputeInBfloat16AndTheClassifierInFloat32() {
    Map<String, DataType> bf16 = convolutionTypes(true);
    Map<String, DataType> fp32 = convolutionTypes(false);

    assertThat(bf16).containsEntry("block1/conv0", DataType.DT_BFLOAT16);
    assertThat(bf16).containsEntry("block2/conv1", DataType.DT_BFLOAT16);
    assertThat(bf16).containsEntry("block3/conv2", DataType.DT_BFLOAT16);
    assertThat(bf16)
        .as("the classifier block")
        .containsEntry("block4/conv0", DataType.DT_FLOAT)
        .containsEntry("block4/conv2", DataType.DT_FLOAT);
    assertThat(fp32.values()).containsOnly(DataType.DT_FLOAT);
    assertThat(fp32).hasSameSizeAs(bf16).hasSize(12);
  }

  @Test
  void aBf16TrainerLearnsAndKeepsTheFloat32StateAnFp32TrainerKeeps() {
    var model = NinConfig.chapter().withResize(67).withSeed(7);
    try (var bf16 =
            NinTrainer.create(model, TrainingConfig.chapter().withPrecision(Precision.BF16));
        var fp32 = NinTrainer.create(model, TrainingConfig.chapter())) {
      var batch = SyntheticBatches.batch(16, 1);
      double first = bf16.trainStep(batch).loss();
      double later = first;
      for (int i = 0; i < 5; i++) {
        later = bf16.trainStep(batch).loss();
      }
      double fp32First = fp32.trainStep(batch).loss();

      assertThat(bf16.precision()).isEqualTo(Precision.BF16);
      assertThat(first).isFinite().isPositive();
      // the same weights and batch: only bfloat16 rounding can tell the two first losses apart
      assertThat(first).as("computed in bfloat16").isNotEqualTo(fp32First);
      assertThat(first).isCloseTo(fp32First, within(0.05));
      assertThat(later).as("the same batch six times: the loss falls").isLessThan(first);
      // checkpoints hold float32 weights and moments whatever the compute: same names, same sizes
      assertThat(bf16.state().tensors())
          .extracting(t -> t.name() + ":" + t.values().length)
          .containsExactlyElementsOf(
              fp32.state().tensors().stream()
                  .map(t -> t.name() + ":" + t.values().length)
                  .toList());
    }
  }

  /**
   * The classifier starts at a bias of 10, where bfloat16 resolves only steps of 0.0625: computed
   * in bfloat16, its logits tie and no image has a best class (how the graph rewrite lost 15
   * points). Computed in float32, every image has one best class.
   */
  @Test
  void theLogitsDoNotTieInBfloat16() {
    var model = NinConfig.chapter().withResize(67).withSeed(3);
    try (var bf16 =
        NinTrainer.create(model, TrainingConfig.chapter().withPrecision(Precision.BF16))) {
      float[][] probs = bf16.predict(SyntheticBatches.batch(32, 2));

      for (float[] row : probs) {
        float best = row[0];
        for (float p : row) {
          best = Math.max(best, p);
        }
        int atBest = 0;
        for (float p : row) {
          atBest += p == best ? 1 : 0;
        }
        assertThat(atBest).as("classes sharing an image's highest probability").isEqualTo(1);
      }
    }
  }

  /** Each convolution's compute type, by layer ({@code block2/conv1}). */
  private static Map<String, DataType> convolutionTypes(boolean bfloat16) {
    try (var graph = new Graph()) {
      Ops tf = Ops.create(graph);
      NinGraph.build(tf, NinConfig.chapter().withResize(67), null, bfloat16);
      Map<String, DataType> types = new HashMap<>();
      graph
          .operations()
          .forEachRemaining(
              op -> {
                // a float32 1×1 convolution is a MatMul (NinGraph.oneByOneAsMatMul)
                if (op.type().equals("Conv2D")
                    || op.type().equals("MatMul") && op.name().startsWith("block")) {
                  String name = op.name();
                  types.put(
                      name.substring(0, name.lastIndexOf('/')),
                      ((GraphOperation) op).output(0).dataType());
                }
              });
      return types;
    }
  }
}
