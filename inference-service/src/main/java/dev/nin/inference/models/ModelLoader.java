package dev.nin.inference.models;

import dev.nin.contracts.FashionMnist;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.export.SavedModelPredictor;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.runtime.TensorFlowRuntime;
import dev.nin.core.training.Device;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.HardwareFeatures;
import dev.nin.core.training.Precision;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.CheckpointRejectedException.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Turns a checkpoint's SavedModel zip into a model that may serve: verify the SHA-256, unpack, load
 * with DJL's TensorFlow engine, warm up at the batch sizes that will be used, and check that the
 * outputs are finite probabilities. Anything else is a {@link CheckpointRejectedException}.
 */
@ApplicationScoped
public class ModelLoader {

  /** How far a row of probabilities may sum from 1 (float32 softmax over 10 classes). */
  private static final double SUM_TOLERANCE = 1e-3;

  private static final Logger LOG = Logger.getLogger(ModelLoader.class);

  private final Path workDir;
  private final int warmUpBatch;
  private final boolean bfloat16;

  ModelLoader(InferenceConfig config) {
    this.workDir = Path.of(config.workDir());
    this.warmUpBatch = config.batching().maxBatchSize();
    Precision precision = config.precision();
    if (precision == Precision.AUTO) {
      // the GPU probe opens a TensorFlow session: the natives must be loaded first
      TensorFlowRuntime.ensureLoaded();
      precision = precision.resolve(HardwareFeatures.of(Device.select(DeviceChoice.AUTO)));
    }
    this.bfloat16 = precision.bfloat16();
    LOG.infof("models serve in %s (%s asked)", precision.id(), config.precision().id());
  }

  public ServableModel load(ModelVersion version, byte[] zip) throws CheckpointRejectedException {
    String actual = Sha256.hex(zip);
    if (!actual.equalsIgnoreCase(version.sha256())) {
      throw new CheckpointRejectedException(
          Stage.SHA256,
          "SHA-256 mismatch: the catalog says "
              + version.sha256()
              + ", the bytes hash to "
              + actual);
    }
    Path folder = unpack(version, zip);
    try {
      SavedModelPredictor predictor = open(folder);
      try {
        warmUpAndCheck(predictor);
      } catch (CheckpointRejectedException | RuntimeException e) {
        predictor.close();
        throw e;
      }
      return new ServableModel(version, predictor);
    } finally {
      // TensorFlow holds the variables in memory once loaded: the files are not needed again.
      deleteQuietly(folder);
    }
  }

  private Path unpack(ModelVersion version, byte[] zip) throws CheckpointRejectedException {
    try {
      Files.createDirectories(workDir);
      Path folder =
          Files.createTempDirectory(workDir, "checkpoint-" + version.checkpointId() + "-");
      try {
        ZipFolder.unzip(zip, folder);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(folder);
        throw new CheckpointRejectedException(
            Stage.UNPACK, "not a valid SavedModel zip: " + e.getMessage(), e);
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder under " + workDir, e);
    }
  }

  private SavedModelPredictor open(Path folder) throws CheckpointRejectedException {
    try {
      return SavedModelPredictor.load(folder, FashionMnist.CLASS_COUNT, bfloat16);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointRejectedException(
          Stage.LOAD, "TensorFlow cannot load the SavedModel: " + e.getMessage(), e);
    }
  }

  /**
   * The first call of a TensorFlow session at a new batch size is slow (allocation, kernel
   * selection): pay it here rather than in a user's request.
   */
  private void warmUpAndCheck(SavedModelPredictor predictor) throws CheckpointRejectedException {
    for (int batch : new int[] {1, warmUpBatch}) {
      float[][] rows;
      try {
        rows = predictor.predict(warmUpImages(batch), batch);
      } catch (RuntimeException e) {
        throw new CheckpointRejectedException(
            Stage.OUTPUT, "the model fails on a warm-up batch of " + batch + ": " + e, e);
      }
      checkProbabilities(rows, batch);
    }
  }

  static void checkProbabilities(float[][] rows, int batch) throws CheckpointRejectedException {
    if (rows.length != batch) {
      throw new CheckpointRejectedException(
          Stage.OUTPUT, "expected " + batch + " rows of probabilities, got " + rows.length);
    }
    for (float[] row : rows) {
      if (row.length != FashionMnist.CLASS_COUNT) {
        throw new CheckpointRejectedException(
            Stage.OUTPUT,
            "expected " + FashionMnist.CLASS_COUNT + " probabilities a row, got " + row.length);
      }
      double sum = 0;
      for (float p : row) {
        if (!Float.isFinite(p) || p < 0 || p > 1) {
          throw new CheckpointRejectedException(
              Stage.OUTPUT, "the model's output " + p + " is not a probability");
        }
        sum += p;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw new CheckpointRejectedException(
            Stage.OUTPUT, "the model's probabilities sum to " + sum + ", not 1");
      }
    }
  }

  /** Black, white and noise images: a model must answer probabilities for any pixels. */
  private static byte[] warmUpImages(int count) {
    byte[] pixels = new byte[count * FashionMnist.PIXELS];
    new Random(count).nextBytes(pixels);
    if (count > 1) {
      java.util.Arrays.fill(pixels, 0, FashionMnist.PIXELS, (byte) 0);
    }
    return pixels;
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is not worth failing a load for
    }
  }
}
