package dev.nin.trainer.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.core.training.Device;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.HardwareFeatures;
import dev.nin.core.training.Precision;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, against the running trainer with a run it really
 * trained: the run's page draws its curves from the run's points, and a run started from the page
 * (token asked in a prompt) reaches the API. Screenshots go to target/.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
@QuarkusTestResource(RealInfrastructureResource.class)
class DashboardBrowserIT {

  private static final String TOKEN = "test-token";

  @Inject PipelineKafka kafka;
  @Inject AgroalDataSource dataSource;

  @TestHTTPResource("/")
  URL dashboard;

  @Test
  void theRunPageDrawsTheRunsCurvesAndARunCanBeStartedFromThePage() throws Exception {
    try (var ingest = new IngestStandIn(kafka)) {
      // Twenty steps at the full rate, no warm-up: a model that already predicts several classes,
      // so that a wrong confusion matrix shows in its cells.
      String id =
          Runs.post(
              null,
              TOKEN,
              """
                  {"name": "browser-it", "resize": 67, "epochs": 2, "batchSize": 100,
                   "trainLimit": 1000, "testLimit": 500, "logEvery": 2, "seed": 5,
                   "warmupSteps": 0, "precision": "auto"}
                  """);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  given()
                      .get("/api/runs/" + id)
                      .then()
                      .extract()
                      .path("status")
                      .equals("SUCCEEDED"));
      int stepPoints =
          given()
              .queryParam("scope", "step")
              .get("/api/runs/" + id + "/metrics")
              .then()
              .extract()
              .path("size()");

      assertConfusionMatrixAgreesWithTheCounts(id);
      // auto is resolved by the trainer that starts the run, for its own hardware, and kept
      String resolved =
          Precision.AUTO.resolve(HardwareFeatures.of(Device.select(DeviceChoice.CPU))).id();
      given()
          .get("/api/runs/" + id)
          .then()
          .body("hyperparameters.precision", org.hamcrest.Matchers.equalTo(resolved));

      WebDriver browser = HeadlessChromium.start();
      try {
        var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        var js = (JavascriptExecutor) browser;

        browser.get(dashboard + "#/runs/" + id);
        wait.until(
            d ->
                ((Number)
                            js.executeScript(
                                "const c = window.Chart && Chart.getChart('accuracy-chart');"
                                    + " return c ? c.data.datasets[2].data.length : 0;"))
                        .intValue()
                    == 2);
        @SuppressWarnings("unchecked")
        List<Long> points =
            (List<Long>)
                js.executeScript(
                    "return Chart.getChart('loss-chart').data.datasets.map(d => d.data.length);");
        // train loss per logged step, train loss per epoch, test loss per epoch
        assertThat(points).containsExactly((long) stepPoints, 2L, 2L);
        assertThat(Canvases.inkedPixels(js, "loss-chart"))
            .as("the loss chart has ink")
            .isGreaterThan(500);
        assertThat(Canvases.inkedPixels(js, "accuracy-chart")).isGreaterThan(500);
        assertThat(browser.findElement(By.id("checkpoints")).findElements(By.tagName("tr")))
            .hasSize(2);
        // the page draws the API's confusion matrix cell by cell, rows the true class
        List<List<Integer>> confusion =
            given().get("/api/runs/" + id).then().extract().path("latestClasses.predictedAs");
        // read in one script: the page redraws itself every few seconds
        @SuppressWarnings("unchecked")
        List<List<String>> drawn =
            (List<List<String>>)
                js.executeScript(
                    "return [...document.querySelectorAll('#confusion tbody tr')]"
                        + ".map(r => [...r.querySelectorAll('td')].map(td => td.textContent));");
        assertThat(drawn).hasSize(10);
        for (int r = 0; r < 10; r++) {
          assertThat(drawn.get(r))
              .as("row %d of the confusion matrix", r)
              .containsExactlyElementsOf(confusion.get(r).stream().map(String::valueOf).toList());
        }
        assertThat(
                js.executeScript(
                    "return [...document.querySelectorAll('#facts > div')]"
                        + ".find(d => d.querySelector('span')?.textContent === 'precision')"
                        + "?.lastChild.textContent;"))
            .as("the precision on the run's page")
            .isEqualTo(resolved);
        screenshot(browser, "dashboard-run.png");

        browser.get(dashboard + "#/");
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-run='" + id + "']")));
        var form = browser.findElement(By.id("new-run"));
        setValue(form, "name", "started-in-browser");
        setValue(form, "resize", "67");
        setValue(form, "trainLimit", "500");
        form.findElement(By.id("start-run")).click();
        var prompt = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(prompt.getText()).contains("API token");
        prompt.sendKeys(TOKEN);
        prompt.accept();
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("form-message"), "queued"));
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("runs-table"), "started-in-browser"));
        screenshot(browser, "dashboard-runs.png");

        // the chapter's exercises are comparisons: two runs on one chart
        // clicked in one script: the list redraws itself every few seconds (the picks survive it)
        js.executeScript("document.querySelectorAll('input.pick').forEach(p => p.click());");
        browser.findElement(By.id("compare")).click();
        wait.until(
            d ->
                ((Number)
                            js.executeScript(
                                "const c = window.Chart && Chart.getChart('compare-top1');"
                                    + " return c ? c.data.datasets.length : 0;"))
                        .intValue()
                    == 2);
        assertThat(
                (String)
                    js.executeScript(
                        "return Chart.getChart('compare-top1').data.datasets.map(d => d.label).join('|');"))
            .contains("browser-it")
            .contains("started-in-browser");
        screenshot(browser, "dashboard-compare.png");
      } finally {
        browser.quit();
      }

      List<Map<String, Object>> runs = given().get("/api/runs").then().extract().path("$");
      var started =
          runs.stream()
              .filter(r -> "started-in-browser".equals(r.get("name")))
              .findFirst()
              .orElseThrow();
      assertThat(((Map<?, ?>) started.get("hyperparameters")).get("resize")).isEqualTo(67);
      assertThat(((Map<?, ?>) started.get("hyperparameters")).get("trainLimit")).isEqualTo(500);
      given()
          .header("Authorization", "Bearer " + TOKEN)
          .post("/api/runs/" + started.get("id") + "/cancel")
          .then()
          .statusCode(202);
    }
  }

  @Test
  void aRunWithADeadClassIsFlaggedInTheApiInSqlOnItsPageAndInTheList() throws Exception {
    try (var ingest = new IngestStandIn(kafka)) {
      // The chapter's plain Glorot-uniform starts most class channels exactly at zero, and two
      // steps cannot open them all: some classes are never predicted (a tie is no prediction).
      String id =
          Runs.post(
              null,
              TOKEN,
              """
                  {"name": "dead-class-it", "resize": 67, "epochs": 1, "batchSize": 50,
                   "trainLimit": 100, "testLimit": 500, "logEvery": 1, "seed": 3,
                   "recipe": "chapter"}
                  """);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  given()
                      .get("/api/runs/" + id)
                      .then()
                      .extract()
                      .path("status")
                      .equals("SUCCEEDED"));

      List<String> dead =
          given().get("/api/runs/" + id).then().extract().path("neverPredictedClasses");
      List<Map<String, Object>> classes =
          given().get("/api/runs/" + id + "/metrics/classes").then().extract().path("$");
      assertThat(dead).isNotEmpty();
      assertThat(classes).hasSize(10);
      assertThat(classes.stream().mapToInt(c -> (Integer) c.get("images")).sum()).isEqualTo(500);
      assertThat(
              classes.stream()
                  .filter(c -> (Integer) c.get("predicted") == 0)
                  .map(c -> (String) c.get("className")))
          .containsExactlyElementsOf(dead);
      assertConfusionMatrixAgreesWithTheCounts(id);
      try (var c = dataSource.getConnection();
          var s =
              c.prepareStatement(
                  "select class_name from epoch_class_metric where run_id = ?::uuid"
                      + " and predicted = 0 order by class_index")) {
        s.setString(1, id);
        var fromSql = new java.util.ArrayList<String>();
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            fromSql.add(rs.getString(1));
          }
        }
        assertThat(fromSql).as("what SQL says").containsExactlyElementsOf(dead);
      }

      WebDriver browser = HeadlessChromium.start();
      try {
        var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(dashboard + "#/runs/" + id);
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("dead-classes"), "Dead class"));
        String warning = browser.findElement(By.id("dead-classes")).getText();
        assertThat(dead).allSatisfy(name -> assertThat(warning).contains(name));
        assertThat(browser.findElements(By.cssSelector("#classes tr.dead-class")))
            .hasSize(dead.size());
        var matrix = browser.findElements(By.cssSelector("#confusion tbody tr"));
        assertThat(matrix).hasSize(10);
        assertThat(matrix)
            .allSatisfy(row -> assertThat(row.findElements(By.tagName("td"))).hasSize(10));
        screenshot(browser, "dashboard-dead-class.png");

        browser.get(dashboard + "#/");
        var row =
            wait.until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-run='" + id + "'] .dead-class")));
        assertThat(row.getText()).startsWith("dead: ").contains(dead.get(0));
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * The latest evaluation's confusion matrix, from the API and from SQL, agrees with the class
   * counts: its diagonal is the hits, each column sums to the images predicted as that class (a
   * dead class's column is all zeros), and each row to at most the class's images.
   */
  private void assertConfusionMatrixAgreesWithTheCounts(String id) throws Exception {
    List<Map<String, Object>> classes =
        given().get("/api/runs/" + id).then().extract().path("latestClasses");
    assertThat(classes).hasSize(10);
    long[][] confusion =
        classes.stream()
            .map(
                c ->
                    ((List<?>) c.get("predictedAs"))
                        .stream().mapToLong(n -> ((Number) n).longValue()).toArray())
            .toArray(long[][]::new);
    long predictions = 0;
    for (int k = 0; k < 10; k++) {
      final int column = k;
      assertThat(confusion[k]).hasSize(10);
      assertThat(confusion[k][k]).isEqualTo(((Number) classes.get(k).get("hits")).longValue());
      assertThat(java.util.Arrays.stream(confusion).mapToLong(row -> row[column]).sum())
          .as("column %d sums to the images predicted as it", k)
          .isEqualTo(((Number) classes.get(k).get("predicted")).longValue());
      assertThat(java.util.Arrays.stream(confusion[k]).sum())
          .isLessThanOrEqualTo(((Number) classes.get(k).get("images")).longValue());
      predictions += java.util.Arrays.stream(confusion[k]).sum();
    }
    assertThat(predictions).as("images with a prediction").isPositive();
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "select count(*) from epoch_class_metric where run_id = ?::uuid and epoch ="
                    + " (select max(epoch) from epoch_class_metric where run_id = ?::uuid)"
                    + " and predicted_as[class_index + 1] = hits"
                    + " and cardinality(predicted_as) = 10")) {
      s.setString(1, id);
      s.setString(2, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("rows in SQL whose diagonal cell is the hits").isEqualTo(10);
      }
    }
  }

  private static void setValue(org.openqa.selenium.WebElement form, String name, String value) {
    var input = form.findElement(By.name(name));
    input.clear();
    input.sendKeys(value);
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", name);
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
