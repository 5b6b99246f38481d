package dev.nin.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class TensorFlowRuntimeTest {

  @Test
  void loadsTensorFlow216FromTheBuildsNativeFolderAndComputes() {
    assertThat(TensorFlowRuntime.ensureLoaded()).isEqualTo("2.16.1");
    assertThat(TensorFlowRuntime.nativeFolder().toString()).contains(".cache/natives");

    try (var graph = new Graph();
        var session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var product =
          tf.linalg.matMul(
              tf.constant(new float[][] {{1, 2}}), tf.constant(new float[][] {{3}, {4}}));
      try (var result = (TFloat32) session.runner().fetch(product).run().get(0)) {
        assertThat(result.getFloat(0, 0)).isEqualTo(11f);
      }
    }
  }
}
