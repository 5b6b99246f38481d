package dev.nin.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nin.core.model.NinConfig;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * A trainer that fails while it is being built hands nobody a graph or a session to close, so the
 * constructor must close both itself: native memory TensorFlow holds outside the Java heap.
 */
class NinTrainerFailurePathTest {

  @Test
  @Timeout(60) // Graph.close() waits for its sessions: a session left open hangs instead of failing
  void aFailureAfterTheSessionOpensClosesTheSessionAndTheGraph() {
    var graph = new AtomicReference<Graph>();
    var session = new AtomicReference<Session>();

    assertThatThrownBy(
            () ->
                NinTrainer.create(
                    NinConfig.chapter().withResize(67),
                    TrainingConfig.chapter(),
                    (g, s) -> {
                      graph.set(g);
                      session.set(s);
                      // both are live here: the checks below would pass on them
                      assertThat(g.operation("global_step")).isNotNull();
                      throw new IllegalStateException("provoked: initial state refused");
                    }))
        .hasMessage("provoked: initial state refused");

    assertThatThrownBy(() -> graph.get().operation("global_step"))
        .as("the graph is closed")
        .isInstanceOf(IllegalStateException.class);
    // run() with nothing fetched asks the session alone (a fetch by name would ask the graph)
    assertThatThrownBy(() -> session.get().runner().run())
        .as("the session is closed")
        .isInstanceOf(IllegalStateException.class);
  }
}
