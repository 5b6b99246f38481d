package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Generated requests against the running service over HTTP: JSON bodies of every shape and type,
 * damaged images, and hostile query parameters. No answer may be a 5xx, and the service must answer
 * a good request afterwards. Seed and count: {@code -Dnin.fuzz.seed}, {@code
 * -Dnin.fuzz.http-cases}.
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class GeneratedRequestsIT {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.http-cases", 600);
  private static final int RESIZE = 67;

  private static final List<String> VALUES =
      List.of("0", "255", "256", "-1", "1.5", "null", "\"7\"", "true", "[]", "{}", "1e400", "99");
  private static final List<String> QUERY =
      List.of("5", "0", "11", "abc", "1.5", "99999999999", "-1", "true", "maybe", "%00", "");

  @Test
  void noGeneratedRequestGetsA5xxAndTheServiceStillAnswers() throws Exception {
    long id = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(id);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    var random = new SplittableRandom(SEED);
    List<byte[]> pictures = GeneratedUploads.pictures();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      // hostile query parameters one time in four, so that most requests reach the body's checks
      var request = given();
      if (random.nextInt(4) == 0) {
        request.queryParam("topK", QUERY.get(random.nextInt(QUERY.size())));
      }
      if (random.nextInt(4) == 0) {
        request.queryParam("invert", QUERY.get(random.nextInt(QUERY.size())));
      }
      int status;
      if (random.nextInt(3) == 0) {
        byte[] upload =
            GeneratedUploads.mutate(random, pictures.get(random.nextInt(pictures.size())));
        status =
            request
                .contentType(random.nextBoolean() ? "image/png" : "image/jpeg")
                .body(upload)
                .post("/api/predict")
                .statusCode();
      } else {
        status =
            request
                .contentType("application/json")
                .body(json(random))
                .post("/api/predict")
                .statusCode();
      }
      assertThat(status).as("case %d", i).isLessThan(500);
      statuses.merge(status, 1, Integer::sum);
    }
    System.out.printf(
        "generated HTTP requests: %d cases (seed %d), statuses %s, 0 x 5xx%n",
        CASES, SEED, statuses);
    String ok = "{\"pixels\":[" + String.join(",", Collections.nCopies(784, "0")) + "]}";
    given().contentType("application/json").body(ok).post("/api/predict").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
    assertThat(statuses).containsKey(200).containsKey(400);
  }

  /** {"pixels": [...]} or {"instances": [[...], ...]} of random lengths and element types. */
  private static String json(SplittableRandom random) {
    switch (random.nextInt(6)) {
      case 0 -> {
        return "{\"pixels\":" + array(random, 784) + "}";
      }
      case 1 -> {
        return "{\"pixels\":" + array(random, random.nextInt(0, 1000)) + "}";
      }
      case 2 -> {
        var instances = new StringJoiner(",", "[", "]");
        for (int k = random.nextInt(0, 4); k > 0; k--) {
          instances.add(array(random, random.nextBoolean() ? 784 : random.nextInt(0, 900)));
        }
        return "{\"instances\":" + instances + "}";
      }
      case 3 -> {
        String body = "{\"pixels\":" + array(random, 784) + "}";
        return body.substring(0, random.nextInt(body.length())); // cut short
      }
      case 4 -> {
        return "{\"pixels\":"
            + array(random, 784)
            + ", \""
            + (random.nextBoolean() ? "pixels" : "colour")
            + "\": 1}";
      }
      default -> {
        return VALUES.get(random.nextInt(VALUES.size()));
      }
    }
  }

  /** Mostly valid pixels; one element in four is drawn from every JSON type and edge. */
  private static String array(SplittableRandom random, int length) {
    var values = new StringJoiner(",", "[", "]");
    boolean hostile = random.nextInt(4) == 0;
    for (int k = 0; k < length; k++) {
      values.add(
          hostile && random.nextInt(50) == 0
              ? VALUES.get(random.nextInt(VALUES.size()))
              : String.valueOf(random.nextInt(256)));
    }
    return values.toString();
  }
}
