package dev.nin.inference;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.data.MemoryBatches;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.model.NinConfig;
import dev.nin.core.training.NinTrainer;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes checkpoints the way the trainer does (a run row, an evaluated {@code epoch} checkpoint
 * with its SavedModel zip and SHA-256) and announces them on {@value Topics#CHECKPOINTS}.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /** A SavedModel zip exported from a trainer: weights as initialised with {@code seed}. */
  public static byte[] modelZip(NinTrainer trainer) throws Exception {
    Path dir = Files.createTempDirectory("nin-test-export-");
    try {
      SavedModelExport.write(trainer.modelConfig(), trainer.parameters(), dir.resolve("model"));
      return ZipFolder.zip(dir.resolve("model"));
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** An untrained model's zip: valid, loadable, and different for every seed. */
  public static byte[] untrainedModelZip(long seed, int resize) throws Exception {
    try (var trainer =
        NinTrainer.create(
            NinConfig.chapter().withResize(resize).withSeed(seed),
            dev.nin.core.training.TrainingConfig.chapter())) {
      return modelZip(trainer);
    }
  }

  /**
   * A briefly trained model's zip: {@code images} training images in batches of 128, seen once, or
   * again (up to {@link #MAX_PASSES} times) until the model answers at least three classes over 256
   * test images. Its answers vary with the image, unlike an untrained model's (one class for
   * everything). Thirty steps of the chapter's recipe sometimes still answer one class, and which
   * seeds do moves with the kernels' rounding: a fixture that promises varied answers checks them.
   */
  public static byte[] trainedModelZip(long seed, int resize, int images) throws Exception {
    var train =
        FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, FashionMnistFiles.Split.TRAIN);
    var probe =
        new MemoryBatches(
                FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, FashionMnistFiles.Split.TEST),
                256,
                0,
                256)
            .epoch(0)
            .next();
    try (var trainer =
        NinTrainer.create(
            NinConfig.chapter().withResize(resize).withSeed(seed),
            dev.nin.core.training.TrainingConfig.chapter())) {
      var data = new MemoryBatches(train, images, 1, 128);
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        var batches = data.epoch(pass);
        while (batches.hasNext()) {
          trainer.trainStep(batches.next());
        }
        var answered = trainer.evaluate(List.of(probe).iterator()).classes();
        if (answered.classes() - answered.neverPredicted().size() >= 3) {
          return modelZip(trainer);
        }
      }
      throw new IllegalStateException(
          "seed " + seed + " still answers fewer than 3 classes after " + MAX_PASSES + " passes");
    }
  }

  static final int MAX_PASSES = 4;

  /** Inserts a run and its evaluated checkpoint; {@code sha256} is what the catalog claims. */
  public static long insert(byte[] modelZip, String sha256, int resize, Double testTop1)
      throws SQLException {
    var infra = SharedInfrastructure.get();
    UUID run = UUID.randomUUID();
    try (var connection =
        DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword())) {
      try (var s =
          connection.prepareStatement(
              "insert into training_run (id, name, status, resize, epochs) values (?, ?, 'SUCCEEDED', ?, 1)")) {
        s.setObject(1, run);
        s.setString(2, "inference-test");
        s.setInt(3, resize);
        s.executeUpdate();
      }
      byte[] state = {1, 2, 3};
      try (var s =
          connection.prepareStatement(
              "insert into checkpoint (run_id, epoch, step, kind, test_top1, test_top5, model_zip,"
                  + " model_sha256, model_bytes, state_zip, state_sha256)"
                  + " values (?, 1, 100, 'epoch', ?, ?, ?, ?, ?, ?, ?) returning id")) {
        s.setObject(1, run);
        s.setObject(2, testTop1);
        s.setObject(3, testTop1 == null ? null : Math.min(1.0, testTop1 + 0.1));
        s.setBytes(4, modelZip);
        s.setString(5, sha256);
        s.setLong(6, modelZip.length);
        s.setBytes(7, state);
        s.setString(8, Sha256.hex(state));
        try (var rows = s.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    }
  }

  public static long insert(byte[] modelZip, int resize, Double testTop1) throws SQLException {
    return insert(modelZip, Sha256.hex(modelZip), resize, testTop1);
  }

  /** The SHA-256 the catalogue records for a checkpoint's SavedModel zip. */
  public static String sha256Of(long checkpointId) throws SQLException {
    var infra = SharedInfrastructure.get();
    try (var connection =
            DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
        var s = connection.prepareStatement("select model_sha256 from checkpoint where id = ?")) {
      s.setLong(1, checkpointId);
      try (var rows = s.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  /** What the trainer sends after committing a checkpoint. */
  public static void announce(long checkpointId) throws Exception {
    var kafka = new PipelineKafka(SharedInfrastructure.get().kafkaBootstrapServers());
    kafka.ensureTopic(Topics.CHECKPOINTS);
    try (var producer = kafka.producer("inference-test")) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CHECKPOINTS,
                  "run",
                  CheckpointEvent.newBuilder().setCheckpointId(checkpointId).build().toByteArray()))
          .get();
    }
  }

  /** Waits until the service under test answers with {@code checkpointId} as its active model. */
  public static void awaitServing(long checkpointId) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                io.restassured.RestAssured.given()
                    .get("/api/model")
                    .then()
                    .body(
                        "active.checkpointId", org.hamcrest.Matchers.equalTo((int) checkpointId)));
  }

  /**
   * Announces {@code checkpoint} again until every replica (base URLs) serves it: an event sent
   * before a replica's consumer has taken its place at the end of the topic is behind it (each
   * event only says "decide again").
   */
  public static void announceUntilServedBy(long checkpoint, String... replicas) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(90))
        .pollInterval(java.time.Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              announce(checkpoint);
              for (String replica : replicas) {
                org.assertj.core.api.Assertions.assertThat(activeCheckpoint(replica))
                    .as(replica)
                    .isEqualTo(checkpoint);
              }
            });
  }

  /** The checkpoint a replica serves, or -1 when none. */
  public static long activeCheckpoint(String baseUrl) {
    Number id =
        io.restassured.RestAssured.given()
            .baseUri(baseUrl)
            .get("/api/model")
            .then()
            .statusCode(200)
            .extract()
            .path("active.checkpointId");
    return id == null ? -1 : id.longValue();
  }

  /** The base URL of the application under test. */
  public static String here() {
    return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
  }
}
