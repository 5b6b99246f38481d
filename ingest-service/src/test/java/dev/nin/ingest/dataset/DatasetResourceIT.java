package dev.nin.ingest.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import dev.nin.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class DatasetResourceIT {

  @Test
  void describesTheVerifiedFilesAndTheCountsPerSplitAndClass() {
    given()
        .when()
        .get("/api/datasets/fashion-mnist")
        .then()
        .statusCode(200)
        .body("files", hasSize(4))
        .body("files.verified", everyItem(equalTo(true)))
        .body(
            "files.find { it.name == 'train-labels-idx1-ubyte' }.sha256",
            equalTo("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"))
        .body("splits.train.count", equalTo(60000))
        .body("splits.test.count", equalTo(10000))
        .body("splits.train.classCounts.'Ankle boot'", equalTo(6000))
        .body("splits.test.classCounts.'T-shirt/top'", equalTo(1000));
  }
}
