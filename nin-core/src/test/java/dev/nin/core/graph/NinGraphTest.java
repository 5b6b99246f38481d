package dev.nin.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.model.NinConfig;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.op.Ops;

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
}
