package dev.nin.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.testsupport.HeadlessChromium;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** inference-service's page in headless Chromium: the active model, and an image scored top-5. */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class ServingPageBrowserIT {

  @TestHTTPResource("/")
  URL page;

  @Test
  void showsTheActiveModelAndScoresAnUploadedImage() throws Exception {
    long checkpoint = Checkpoints.insert(Checkpoints.untrainedModelZip(11, 67), 67, 0.1);
    Checkpoints.announce(checkpoint);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

    Path png = Files.createTempFile("garment", ".png");
    var image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(14, 8, 28, 40);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());

    var browser = HeadlessChromium.start();
    try {
      var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.get(page.toString());
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("model"), "checkpoint " + checkpoint));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "LOADED"));
      ((JavascriptExecutor) browser)
          .executeScript("document.getElementById('file').hidden = false;");
      browser.findElement(By.id("file")).sendKeys(png.toString());
      wait.until(d -> d.findElement(By.id("answer")).findElements(By.tagName("tr")).size() == 5);
      assertThat(browser.findElement(By.id("answer")).getText())
          .contains("checkpoint " + checkpoint)
          .containsPattern("\\d+\\.\\d %");
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, Path.of("target", "serving-page.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
    }
  }
}
