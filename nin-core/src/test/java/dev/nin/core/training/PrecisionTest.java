package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nin.core.model.NinConfig;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** bfloat16 compute is TensorFlow's own graph rewrite, switched on in the session's config. */
class PrecisionTest {

  @Test
  void bf16SwitchesOnTheOneDnnRewriteAndFp32LeavesTheSessionAsItWas() {
    var session = ConfigProto.newBuilder().setAllowSoftPlacement(true).build();

    var bf16 = Precision.BF16.applyTo(session);

    assertThat(bf16.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16())
        .isEqualTo(RewriterConfig.Toggle.ON);
    assertThat(bf16.getAllowSoftPlacement()).as("the rest of the config is kept").isTrue();
    assertThat(Precision.FP32.applyTo(session)).isSameAs(session);
    assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
    assertThatThrownBy(() -> Precision.parse("fp16")).hasMessageContaining("fp32 or bf16");
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

      assertThat(first).isFinite().isPositive();
      // the same weights and batch: only bfloat16 rounding can tell the two first losses apart
      assertThat(first).as("computed in bfloat16").isNotEqualTo(fp32First);
      assertThat(first).isCloseTo(fp32First, org.assertj.core.api.Assertions.within(0.05));
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
}
