package dev.nin.trainer.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.testsupport.RealInfrastructureResource;
import dev.nin.trainer.training.Runs;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Generated requests against the trainer's HTTP API over the wire: run bodies ({@link
 * GeneratedRunBodies}), hostile query parameters on the list and the model summary, and hostile run
 * ids. No answer may be a 5xx, and the service must answer a good request afterwards. Seed and
 * count: {@code -Dnin.fuzz.seed}, {@code -Dnin.fuzz.http-cases}.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class GeneratedRunRequestsIT {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.http-cases", 600);

  private static final List<String> QUERY =
      List.of(
          "5",
          "0",
          "67",
          "512",
          "513",
          "abc",
          "1.5",
          "99999999999",
          "-1",
          "true",
          "%00",
          "",
          "QUEUED",
          "running",
          "1e3");
  private static final List<String> IDS =
      List.of(
          "00000000-0000-0000-0000-000000000000",
          "not-a-uuid",
          "%00",
          "..%2F..%2Fetc",
          "123",
          "ffffffff-ffff-ffff-ffff-ffffffffffffff");

  @Inject AgroalDataSource dataSource;

  @Test
  void noGeneratedRequestGetsA5xxAndTheServiceStillAnswers() throws Exception {
    var random = new SplittableRandom(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      String kind;
      int status;
      switch (random.nextInt(10)) {
        case 0 -> {
          kind = "list";
          status =
              given()
                  .queryParam("limit", pick(random, QUERY))
                  .queryParam("status", pick(random, QUERY))
                  .get("/api/runs")
                  .statusCode();
        }
        case 1 -> {
          kind = "summary";
          status =
              given()
                  .queryParam("resize", pick(random, QUERY))
                  .queryParam("oneByOneConvs", pick(random, QUERY))
                  .queryParam("batchSize", pick(random, QUERY))
                  .get("/api/model/summary")
                  .statusCode();
        }
        case 2 -> {
          kind = "run by id";
          String id = pick(random, IDS);
          String[] paths = {"", "/metrics", "/metrics/classes", "/checkpoints"};
          status =
              given()
                  .urlEncodingEnabled(false)
                  .get("/api/runs/" + id + pick(random, paths))
                  .statusCode();
        }
        default -> {
          kind = "post";
          status =
              given()
                  .header("Authorization", "Bearer test-token")
                  .contentType(ContentType.JSON)
                  .body(GeneratedRunBodies.body(random))
                  .post("/api/runs")
                  .statusCode();
        }
      }
      assertThat(status).as("%s request %d", kind, i).isLessThan(500);
      outcomes.merge(kind + " " + status, 1, Integer::sum);
    }
    System.out.printf("generated trainer requests: %d (seed %d): %s%n", CASES, SEED, outcomes);
    Runs.cancelEveryOtherRun(dataSource); // the valid ones were queued; no worker runs here
    given().get("/api/runs").then().statusCode(200);
    assertThat(outcomes.keySet()).as("the generator also makes valid runs").contains("post 201");
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
