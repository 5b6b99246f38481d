package dev.nin.core.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;

/**
 * Loads TensorFlow's native libraries from the folder the build lays them in, never from the
 * network or a classpath jar.
 *
 * <p>The folder comes from {@code TENSORFLOW_LIBRARY_PATH} (environment or system property), the
 * same variable DJL's TensorFlow engine reads, so the trainer's TF Java graph code and DJL's
 * serving code share one copy of the libraries in one JVM.
 */
public final class TensorFlowRuntime {

  public static final String LIBRARY_PATH_VARIABLE = "TENSORFLOW_LIBRARY_PATH";
  static final String JNI_LIBRARY = "libjnitensorflow.so";

  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowRuntime.class);
  private static volatile String version;

  private TensorFlowRuntime() {}

  /** Loads the natives once per JVM and returns TensorFlow's version, e.g. {@code 2.16.1}. */
  public static String ensureLoaded() {
    if (version == null) {
      synchronized (TensorFlowRuntime.class) {
        if (version == null) {
          Path folder = nativeFolder();
          // JavaCPP (under TF Java) preloads its libraries from this path; DJL sets the same.
          System.setProperty("org.bytedeco.javacpp.platform.preloadpath", folder.toString());
          // JavaCPP's physical-memory guard misreads large models as leaks; DJL disables it too.
          System.setProperty("org.bytedeco.javacpp.maxBytes", "0");
          System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
          System.setProperty("ai.djl.offline", "true");
          version = TensorFlow.version();
          LOG.info("TensorFlow {} loaded from {}", version, folder);
        }
      }
    }
    return version;
  }

  /** The folder holding {@value #JNI_LIBRARY}; fails with the fix when it is missing. */
  public static Path nativeFolder() {
    String configured =
        System.getProperty(LIBRARY_PATH_VARIABLE, System.getenv(LIBRARY_PATH_VARIABLE));
    if (configured == null || configured.isBlank()) {
      throw new IllegalStateException(
          LIBRARY_PATH_VARIABLE
              + " is not set. Build once (mvn -pl nin-core generate-resources) and run through"
              + " the project's scripts, which source scripts/lib/env.sh.");
    }
    Path folder = Path.of(configured).toAbsolutePath();
    if (!Files.isRegularFile(folder.resolve(JNI_LIBRARY))) {
      throw new IllegalStateException(
          LIBRARY_PATH_VARIABLE
              + "="
              + folder
              + " holds no "
              + JNI_LIBRARY
              + ". Run `mvn -pl nin-core generate-resources` (add -Pgpu for the CUDA build).");
    }
    return folder;
  }
}
