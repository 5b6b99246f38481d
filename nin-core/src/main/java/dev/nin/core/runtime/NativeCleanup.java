package dev.nin.core.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Releasing a graph and its session when the object that would own them fails to build. */
public final class NativeCleanup {

  private NativeCleanup() {}

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
