package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.runtime.TensorFlowRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class TopKHitsTest {

  @BeforeAll
  static void loadTensorFlow() {
    TensorFlowRuntime.ensureLoaded();
  }

  @Test
  void theLabelWithTheStrictlyHighestLogitIsATop1Hit() {
    assertThat(hits(new float[] {0.1f, 3f, 2f, 0f}, 1, 1)).isEqualTo(1);
    assertThat(hits(new float[] {0.1f, 3f, 2f, 0f}, 2, 1)).isZero();
  }

  @Test
  void aConstantOutputIsNeverAHitAsACollapsedNetworkMustNotScorePerfectly() {
    float[] collapsed = {0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f};
    assertThat(hits(collapsed, 6, 1)).isZero();
    assertThat(hits(collapsed, 6, 5)).isZero();
  }

  @Test
  void aTieAtTheTopCountsAgainstTheLabel() {
    float[] tied = {1f, 5f, 5f, 0f, 0f, 0f};
    assertThat(hits(tied, 1, 1)).isZero();
    assertThat(hits(tied, 1, 2)).isEqualTo(1);
  }

  @Test
  void theFifthHighestLogitIsATop5HitAndTheSixthIsNot() {
    float[] logits = {9f, 8f, 7f, 6f, 5f, 4f, 3f, 2f, 1f, 0f};
    assertThat(hits(logits, 4, 5)).isEqualTo(1);
    assertThat(hits(logits, 5, 5)).isZero();
  }

  @Test
  void aNanLogitIsAMiss() {
    assertThat(hits(new float[] {Float.NaN, 1f, 0f}, 1, 1)).isZero();
    assertThat(hits(new float[] {Float.NaN, 1f, 0f}, 0, 3)).isZero();
  }

  /** Hits for one image with these logits and this label. */
  private static int hits(float[] logits, int label, int k) {
    float[] oneHot = new float[logits.length];
    oneHot[label] = 1;
    try (var graph = new Graph();
        var session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var count =
          TopKHits.count(
              tf, tf.constant(new float[][] {logits}), tf.constant(new float[][] {oneHot}), k);
      try (var result = (TFloat32) session.runner().fetch(count).run().get(0)) {
        return Math.round(result.getFloat());
      }
    }
  }
}
