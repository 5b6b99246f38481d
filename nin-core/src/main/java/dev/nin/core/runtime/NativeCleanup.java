package dev.nin.core.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Releasing a graph and its session when the object that would own them fails to build. */
public final class NativeCleanup {

  private NativeCleanup() {}

  /**
   * Sees a graph and its session the moment both are open, before the owner finishes building: the
   * failure-path tests throw there to check that the owner closes both.
   */
  @FunctionalInterface
  public interface Opened {
    Opened NOTHING = (graph, session) -> {};

    void opened(Graph graph, Session session);
  }

  /**
   * Closes {@code session} (when one was opened) and then {@code graph}, even if closing the
   * session fails; such a failure is added to {@code failure} as suppressed. The caller rethrows
   * {@code failure}: nobody else holds these native objects to close them.
   */
  public static void releaseAfter(Throwable failure, Session session, Graph graph) {
    try {
      if (session != null) {
        session.close();
      }
    } catch (RuntimeException closing) {
      failure.addSuppressed(closing);
    } finally {
      graph.close();
    }
  }
}
