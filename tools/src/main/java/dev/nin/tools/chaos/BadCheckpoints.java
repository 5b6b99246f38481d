package dev.nin.tools.chaos;

import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.model.Chapter;
import dev.nin.core.model.NinConfig;
import dev.nin.core.model.WeightInit;
import dev.nin.core.training.NinTrainer;
import dev.nin.core.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** SavedModel zips that must never serve, each failing a different check of the loader. */
final class BadCheckpoints {

  static final int RESIZE = 67;

  private BadCheckpoints() {}

  /** A valid export (the base the broken ones are made from). */
  static byte[] valid() throws Exception {
    return export(NinConfig.chapter().withResize(RESIZE).withSeed(99));
  }

  /** Ten classes are the contract: a five-class model loads but answers the wrong shape. */
  static byte[] fiveClasses() throws Exception {
    return export(
        new NinConfig(
            RESIZE, Chapter.ONE_BY_ONE_CONVS, Chapter.DROPOUT, 5, WeightInit.DEFAULT, 99));
  }

  /** The SavedModel's graph without its variables folder: TensorFlow cannot restore it. */
  static byte[] withoutVariables(byte[] valid) throws Exception {
    Path dir = Files.createTempDirectory("nin-bad-");
    try {
      ZipFolder.unzip(valid, dir);
      delete(dir.resolve("variables"));
      return ZipFolder.zip(dir);
    } finally {
      delete(dir);
    }
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }

  private static byte[] export(NinConfig model) throws Exception {
    Path dir = Files.createTempDirectory("nin-bad-export-");
    try (var trainer = NinTrainer.create(model, TrainingConfig.chapter())) {
      SavedModelExport.write(model, trainer.parameters(), dir.resolve("model"));
      return ZipFolder.zip(dir.resolve("model"));
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
