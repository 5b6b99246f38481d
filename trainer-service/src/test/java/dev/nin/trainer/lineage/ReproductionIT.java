package dev.nin.trainer.lineage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.core.export.SavedModelExport;
import dev.nin.core.export.ZipFolder;
import dev.nin.core.runtime.BuildInfo;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.HeadlessChromium;
import dev.nin.testsupport.RealInfrastructureResource;
import dev.nin.trainer.training.IngestStandIn;
import dev.nin.trainer.training.Runs;
import dev.nin.trainer.training.WorkerProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The determinism contract and the lineage, on runs the trainer really trains from Kafka: the same
 * request twice gives bit-identical weights at every epoch, another seed does not; {@code
 * reproduce} compares every epoch with the original's and says so in the API, in SQL and on the run
 * page; and a downloaded SavedModel says where it came from, as the database does.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
@QuarkusTestResource(RealInfrastructureResource.class)
class ReproductionIT {

  private static final String TOKEN = "test-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      """
      {"name": "%s", "resize": 67, "epochs": 2, "batchSize": 100, "trainLimit": 2000,
       "testLimit": 500, "logEvery": 5, "seed": %d}
      """;

  @Inject PipelineKafka kafka;
  @Inject AgroalDataSource dataSource;

  @TestHTTPResource("/")
  URL dashboard;

  @Test
  void theSameRequestGivesTheSameWeightsAndReproduceSaysSoEpochByEpoch(@TempDir Path dir)
      throws Exception {
    try (var ingest = new IngestStandIn(kafka)) {
      String original = Runs.post(null, TOKEN, REQUEST.formatted("repro-original", 5));
      String again = Runs.post(null, TOKEN, REQUEST.formatted("repro-again", 5));
      String otherSeed = Runs.post(null, TOKEN, REQUEST.formatted("repro-other-seed", 6));
      for (String id : List.of(original, again, otherSeed)) {
        Runs.awaitSucceeded(null, id, 4);
      }

      List<String> originalDigests = weightDigests(original);
      assertThat(originalDigests).hasSize(2).allMatch(d -> d.matches("[0-9a-f]{64}"));
      assertThat(weightDigests(again)).as("the same request").isEqualTo(originalDigests);
      assertThat(weightDigests(otherSeed))
          .as("another seed")
          .doesNotContainAnyElementsOf(originalDigests);

      String reproduction =
          given()
              .header("Authorization", "Bearer " + TOKEN)
              .post("/api/runs/" + original + "/reproduce")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      Runs.awaitSucceeded(null, reproduction, 4);
      assertThat(
              given().get("/api/runs/" + reproduction).then().extract().<String>path("reproduces"))
          .isEqualTo(original);
      List<Map<String, Object>> verdicts =
          given().get("/api/runs/" + reproduction + "/reproduction").then().extract().path("$");
      assertThat(verdicts)
          .extracting(v -> v.get("verdict"))
          .containsExactly("identical", "identical");
      assertThat(verdicts)
          .allSatisfy(v -> assertThat(((Number) v.get("maxAbsWeightDiff")).doubleValue()).isZero())
          .allSatisfy(v -> assertThat(((Number) v.get("testTop1Delta")).doubleValue()).isZero());
      assertThat(verdictsInSql(reproduction)).containsExactly("identical", "identical");
      assertThat(weightDigests(reproduction)).isEqualTo(originalDigests);

      lineageOfTheLastCheckpointMatchesItsDownload(original, originalDigests.get(1), dir);
      verdictsShowOnTheRunPage(reproduction);
    }
  }

  private void lineageOfTheLastCheckpointMatchesItsDownload(
      String runId, String weightsSha256, Path dir) throws Exception {
    long checkpoint = lastEpochCheckpoint(runId);
    JsonNode lineage =
        JSON.readTree(
            given()
                .get("/api/checkpoints/" + checkpoint + "/lineage")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertThat(lineage.path("format").asText()).isEqualTo(Lineage.FORMAT);
    assertThat(lineage.path("weightsSha256").asText()).isEqualTo(weightsSha256);
    assertThat(lineage.path("code").path("commit").asText())
        .as("the commit the trainer was built from")
        .isEqualTo(BuildInfo.current().commit())
        .isNotBlank();
    var dataset = lineage.path("data").path("datasetSha256");
    assertThat(dataset.size()).isEqualTo(4);
    FashionMnistFiles.SHA256.forEach(
        (file, sha) -> assertThat(dataset.path(file).asText()).as(file).isEqualTo(sha));
    assertThat(lineage.path("hyperparameters").path("request").path("seed").asLong()).isEqualTo(5);
    assertThat(lineage.path("hyperparameters").path("model").path("init").asText())
        .isEqualTo("GLOROT_UNIFORM_LIVE_CLASSIFIER");
    assertThat(lineage.path("hyperparameters").path("training").path("learningRate").asDouble())
        .isEqualTo(0.001);
    var epochs = lineage.path("data").path("epochs");
    assertThat(epochs.size()).isEqualTo(2);
    assertThat(epochs.get(0).path("fromOffset").asLong()).isZero();
    assertThat(epochs.get(0).path("untilOffset").asLong()).isEqualTo(20);
    assertThat(epochs.get(1).path("fromOffset").asLong()).isEqualTo(20);
    assertThat(epochs.get(1).path("untilOffset").asLong()).isEqualTo(40);
    assertThat(lineage.path("data").path("test").path("untilOffset").asLong()).isEqualTo(1);
    assertThat(lineage.path("runtime").path("tensorflow").asText()).isEqualTo("2.16.1");
    assertThat(lineage.path("runtime").path("precision").asText()).isEqualTo("fp32");

    var download = given().get("/api/checkpoints/" + checkpoint + "/savedmodel").then();
    download.statusCode(200).contentType("application/zip");
    byte[] zip = download.extract().asByteArray();
    assertThat(download.extract().header("X-Checkpoint-SHA256")).isEqualTo(Sha256.hex(zip));
    ZipFolder.unzip(zip, dir);
    assertThat(dir.resolve("saved_model.pb")).isRegularFile();
    assertThat(JSON.readTree(Files.readAllBytes(dir.resolve(SavedModelExport.LINEAGE_FILE))))
        .as("the download's lineage.json is the database's")
        .isEqualTo(lineage);

    theDownloadRunsInPlainTensorFlowAsInTheServingPath(dir);

    given().get("/api/checkpoints/999999999/lineage").then().statusCode(404);
    given().get("/api/checkpoints/not-a-number/savedmodel").then().statusCode(400);
  }

  /**
   * The download is a standard SavedModel: TensorFlow's own loader (SavedModelBundle, no DJL, no
   * code of ours) runs its serving_default signature and gives the probabilities the service's DJL
   * path gives.
   */
  private static void theDownloadRunsInPlainTensorFlowAsInTheServingPath(Path dir)
      throws Exception {
    int n = 8;
    byte[] images =
        java.util.Arrays.copyOf(
            FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, FashionMnistFiles.Split.TEST)
                .pixels(),
            n * 784);
    float[] plain = new float[n * 10];
    try (var bundle = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        var input =
            org.tensorflow.types.TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(n, 28, 28, 1),
                org.tensorflow.ndarray.buffer.DataBuffers.of(images, true, false));
        var result = bundle.function("serving_default").call(Map.of("image", input))) {
      var probs = (org.tensorflow.types.TFloat32) result.get("probs").orElseThrow();
      probs.asRawTensor().data().asFloats().read(plain);
    }
    float[][] served;
    try (var predictor = dev.nin.core.export.SavedModelPredictor.load(dir, 10)) {
      served = predictor.predict(images, n);
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 10; c++) {
        assertThat(plain[i * 10 + c])
            .isCloseTo(served[i][c], org.assertj.core.api.Assertions.within(1e-6f));
      }
    }
  }

  private void verdictsShowOnTheRunPage(String reproduction) throws Exception {
    WebDriver browser = HeadlessChromium.start();
    try {
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(
              d -> {
                if (!d.getCurrentUrl().contains(reproduction)) {
                  d.get(dashboard + "#/runs/" + reproduction);
                }
                return d.findElements(By.cssSelector("#reproduction tr.verdict.identical")).size()
                    == 2;
              });
      assertThat(browser.findElement(By.id("reproduction")).getText()).contains("identical");
    } finally {
      browser.quit();
    }
  }

  private static List<String> weightDigests(String runId) {
    List<Map<String, Object>> checkpoints =
        given().get("/api/runs/" + runId + "/checkpoints").then().extract().path("$");
    return checkpoints.stream()
        .filter(c -> "epoch".equals(c.get("kind")))
        .map(c -> (String) c.get("weightsSha256"))
        .toList();
  }

  private long lastEpochCheckpoint(String runId) throws Exception {
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "select checkpoint_id from checkpoint_lineage where run_id = ?::uuid"
                    + " order by epoch desc limit 1")) {
      s.setString(1, runId);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<String> verdictsInSql(String runId) throws Exception {
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "select reproduction_verdict from checkpoint_lineage where run_id = ?::uuid"
                    + " order by epoch")) {
      s.setString(1, runId);
      var verdicts = new ArrayList<String>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          verdicts.add(rs.getString(1));
        }
      }
      return verdicts;
    }
  }
}
