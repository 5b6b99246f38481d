package dev.nin.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlTensorFlowEngineOfflineTest {

  @Test
  void djlsTensorFlowEngineLoadsOfflineFromTheSameNativesWithoutDownloadingOrExtracting(
      @TempDir Path emptyCache) throws Exception {
    // DJL downloads natives into its cache when it cannot find them; an empty cache that stays
    // empty proves it used TENSORFLOW_LIBRARY_PATH and nothing else.
    System.setProperty("DJL_CACHE_DIR", emptyCache.toString());
    System.setProperty("ENGINE_CACHE_DIR", emptyCache.toString());
    System.setProperty("ai.djl.offline", "true");

    Engine engine = Engine.getEngine("TensorFlow");

    assertThat(engine.getEngineName()).isEqualTo("TensorFlow");
    assertThat(engine.getVersion()).isEqualTo("2.16.1");
    try (NDManager manager = engine.newBaseManager()) {
      float sum = manager.create(new float[] {1f, 2f, 3f}).sum().getFloat();
      assertThat(sum).isEqualTo(6f);
    }
    try (var files = Files.list(emptyCache)) {
      assertThat(files).isEmpty();
    }
  }
}
