package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nin.core.checkpoint.TrainingState;
import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class LabelSmoothingTest {

  @Test
  void theTargetsSpreadEpsilonOverEveryClassAndTheLossIsTheCrossEntropyAgainstThem() {
    TensorFlowRuntime.ensureLoaded();
    try (var eager = EagerSession.create()) {
      Ops tf = Ops.create(eager);
      var oneHot = tf.constant(new float[][] {{1, 0, 0}});
      var logits = tf.constant(new float[][] {{2, 1, 0}});

      var targets = LabelSmoothing.targets(tf, oneHot, tf.constant(0.3f), 3);
      var loss = tf.nn.softmaxCrossEntropyWithLogits(logits, targets).loss();

      TFloat32 t = targets.asTensor();
      assertThat(new float[] {t.getFloat(0, 0), t.getFloat(0, 1), t.getFloat(0, 2)})
          .containsExactly(new float[] {0.8f, 0.1f, 0.1f}, within(1e-6f));
      // by hand: p = softmax(2, 1, 0) = (0.6652, 0.2447, 0.0900); -(0.8 ln p0 + 0.1 ln p1 + 0.1 ln
      // p2)
      double z = Math.exp(2) + Math.exp(1) + 1;
      double expected =
          -(0.8 * Math.log(Math.exp(2) / z)
              + 0.1 * Math.log(Math.exp(1) / z)
              + 0.1 * Math.log(1 / z));
      assertThat(loss.asTensor().getFloat(0)).isCloseTo((float) expected, within(1e-5f));
      assertThat(expected).isCloseTo(0.7076, within(1e-4));
    }
  }

  @Test
  void aTrainingStepLearnsFromSmoothedTargetsWhileEvaluationReportsTheOneHotLoss() {
    var model = NinConfig.chapter().withResize(67).withSeed(7);
    var batch = SyntheticBatches.batch(16, 1);
    TrainingState confident;
    try (var plain = NinTrainer.create(model, TrainingConfig.chapter())) {
      // one batch learnt by heart, so that its logits are far from uniform: where they are
      // uniform, smoothed and one-hot targets give the same loss
      for (int i = 0; i < 30; i++) {
        plain.trainStep(batch);
      }
      confident = plain.state();
    }
    try (var plain = NinTrainer.create(model, TrainingConfig.chapter());
        var smoothed = NinTrainer.create(model, TrainingConfig.chapter().withLabelSmoothing(0.2))) {
      plain.restore(confident);
      smoothed.restore(confident);

      double plainEval = plain.evaluate(List.of(batch).iterator()).loss();
      double smoothedEval = smoothed.evaluate(List.of(batch).iterator()).loss();
      assertThat(plainEval).as("far from uniform: ln 10 = 2.30").isLessThan(1.8);
      assertThat(smoothedEval).as("evaluation is against one-hot labels").isEqualTo(plainEval);

      // same weights, same step, same dropout masks: only the targets differ, and smoothed ones
      // charge for the confidence one-hot targets reward
      double plainStep = plain.trainStep(batch).loss();
      double smoothedStep = smoothed.trainStep(batch).loss();
      assertThat(smoothedStep).isGreaterThan(plainStep + 0.05);
    }
  }
}
