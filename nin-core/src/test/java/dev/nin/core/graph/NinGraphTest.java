package dev.nin.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The graph NinGraph builds, op by op, where the op chosen matters for speed. */
class NinGraphTest {

  @BeforeAll
  static void loadTensorFlow() {
    TensorFlowRuntime.ensureLoaded();
  }

  /**
   * TF Java's {@code nn.maxPool} builds MaxPoolV2, whose gradient oneDNN does not take over: it ran
   * in Eigen and was a tenth of a bfloat16 training step at 224 px (docs/performance.md).
   */
  @ParameterizedTest(name = "bfloat16 = {0}")
  @ValueSource(booleans = {false, true})
  void theMaxPoolsAreTensorFlowsFirstMaxPoolWithTheChaptersWindowAndStride(boolean bfloat16) {
    try (var graph = new Graph()) {
      NinGraph.build(Ops.create(graph), NinConfig.chapter().withResize(67), null, bfloat16);
      List<GraphOperation> pools = new ArrayList<>();
      graph
          .operations()
          .forEachRemaining(
              op -> {
                if (op.type().startsWith("MaxPool")) {
                  pools.add((GraphOperation) op);
                }
              });

      assertThat(pools)
          .extracting(GraphOperation::type)
          .as("the chapter's three max-pools, as the op oneDNN runs with its gradient")
          .containsExactly("MaxPool", "MaxPool", "MaxPool");
      for (GraphOperation pool : pools) {
        assertThat(pool.attributes().getAttrIntList("ksize")).containsExactly(1, 3, 3, 1);
        assertThat(pool.attributes().getAttrIntList("strides")).containsExactly(1, 2, 2, 1);
        assertThat(pool.attributes().getAttrString("padding")).isEqualTo("VALID");
      }
    }
  }

  /**
   * oneDNN's float32 MatMul runs NiN's 1×1 convolutions faster than its Conv2D, its bfloat16 Conv2D
   * faster than its MatMul (docs/performance.md): each precision gets its faster op.
   */
  @Test
  void oneByOneConvolutionsAreMatrixProductsInFloat32AndConvolutionsInBfloat16() {
    Map<String, String> fp32 = convolutionOps(false);
    Map<String, String> bf16 = convolutionOps(true);

    assertThat(fp32).hasSize(12).containsEntry("block1/conv0", "Conv2D");
    assertThat(fp32)
        .containsEntry("block1/conv1", "MatMul")
        .containsEntry("block3/conv2", "MatMul");
    assertThat(bf16).hasSize(12).containsEntry("block1/conv1", "Conv2D");
    assertThat(bf16).containsEntry("block3/conv2", "Conv2D");
    assertThat(bf16)
        .as("the classifier block computes in float32")
        .containsEntry("block4/conv0", "Conv2D")
        .containsEntry("block4/conv1", "MatMul");
  }

  @Test
  void aOneByOneConvolutionAsAMatrixProductComputesTheConvolution() {
    var random = new Random(3);
    float[][][][] input = new float[2][5][6][3];
    float[][][][] kernel = new float[1][1][3][4];
    for (float[][][] image : input) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < pixel.length; c++) {
            pixel[c] = (float) random.nextGaussian();
          }
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      for (int o = 0; o < 4; o++) {
        kernel[0][0][c][o] = (float) random.nextGaussian();
      }
    }
    try (var graph = new Graph();
        var session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var x = tf.constant(StdArrays.ndCopyOf(input));
      var k = tf.constant(StdArrays.ndCopyOf(kernel));
      var bias = tf.constant(new float[] {0.1f, -0.2f, 0.3f, -0.4f});
      var asMatMul = NinGraph.oneByOneAsMatMul(tf, x, k, bias);
      var asConv =
          tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "VALID"), bias));
      try (var result = session.runner().fetch(asMatMul).fetch(asConv).run()) {
        var matMul = (TFloat32) result.get(0);
        var conv = (TFloat32) result.get(1);
        assertThat(matMul.shape()).isEqualTo(Shape.of(2, 5, 6, 4)).isEqualTo(conv.shape());
        float[][][][] a = StdArrays.array4dCopyOf(matMul);
        float[][][][] b = StdArrays.array4dCopyOf(conv);
        int positive = 0;
        for (int n = 0; n < 2; n++) {
          for (int h = 0; h < 5; h++) {
            for (int w = 0; w < 6; w++) {
              for (int o = 0; o < 4; o++) {
                assertThat(a[n][h][w][o])
                    .isCloseTo(b[n][h][w][o], org.assertj.core.api.Assertions.within(1e-5f));
                positive += a[n][h][w][o] > 0 ? 1 : 0;
              }
            }
          }
        }
        assertThat(positive).as("the ReLU lets some through").isGreaterThan(40);
      }
    }
  }

  /** The op computing each convolution, by layer ({@code block2/conv1}). */
  private static Map<String, String> convolutionOps(boolean bfloat16) {
    try (var graph = new Graph()) {
      NinGraph.build(Ops.create(graph), NinConfig.chapter().withResize(67), null, bfloat16);
      Map<String, String> ops = new TreeMap<>();
      graph
          .operations()
          .forEachRemaining(
              op -> {
                String name = op.name();
                if (name.startsWith("block")
                    && (op.type().equals("Conv2D") || op.type().equals("MatMul"))) {
                  ops.put(name.substring(0, name.lastIndexOf('/')), op.type());
                }
              });
      return ops;
    }
  }
}
