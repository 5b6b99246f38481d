package dev.nin.inference.prediction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A small request's latency does not depend on another client's upload. Four clients keep uploading
 * a 4096×4096 16-bit PNG (small on the wire, hundreds of ms to decode) while a fifth sends
 * 784-pixel JSON predicts: with decoding on the event loops, the small request waited behind a
 * decode (5.3 s in the report instead of 16–57 ms).
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class EventLoopIsolationIT {

  private static final int RESIZE = 67;

  @Test
  void smallPredictsStayFastWhileBigImagesDecode() throws Exception {
    long id = Checkpoints.insert(Checkpoints.untrainedModelZip(7, RESIZE), RESIZE, 0.1);
    Checkpoints.announce(id);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    String small = "{\"pixels\":[" + String.join(",", Collections.nCopies(784, "0")) + "]}";
    long[] quiet = latencies(small, 10);
    byte[] big = GeneratedUploads.sixteenBitPng(4096);

    ExecutorService uploaders = Executors.newFixedThreadPool(4);
    var stop = new AtomicBoolean();
    var inFlight = new AtomicInteger();
    var answered = new AtomicInteger();
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // each uploads again as soon as it is answered, until the small predicts are done:
        // decoding is subsampled (a few hundred ms a picture), so one upload each would end
        // before the small predicts
        uploads.add(
            uploaders.submit(
                () -> {
                  while (!stop.get()) {
                    inFlight.incrementAndGet();
                    try {
                      given()
                          .contentType("image/png")
                          .body(big)
                          .post("/api/predict")
                          .then()
                          .statusCode(200);
                      answered.incrementAndGet();
                    } finally {
                      inFlight.decrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.get() == 4);
      await().pollDelay(Duration.ofMillis(300)).until(() -> true); // they are decoding now
      long[] busy = new long[5];
      int[] uploadsDuring = new int[busy.length];
      for (int i = 0; i < busy.length; i++) {
        uploadsDuring[i] = inFlight.get();
        busy[i] = latencies(small, 1)[0];
        uploadsDuring[i] = Math.min(uploadsDuring[i], inFlight.get());
      }
      stop.set(true);
      for (var upload : uploads) {
        upload.get(); // an upload that failed fails the test
      }
      System.out.printf(
          "small predict ms quiet %s, during 4 big uploads %s (uploads in flight %s); %d uploads"
              + " answered%n",
          Arrays.toString(quiet),
          Arrays.toString(busy),
          Arrays.toString(uploadsDuring),
          answered.get());
      assertThat(Arrays.stream(uploadsDuring).min().orElseThrow())
          .as("uploads in flight when each small predict was sent and answered")
          .isPositive();
      assertThat(answered.get()).as("uploads answered 200").isPositive();
      // one blocked event loop shows as one slow request (2,093 ms when decoding ran there)
      assertThat(Arrays.stream(busy).max().orElseThrow())
          .as("slowest small predict during the uploads, ms")
          .isLessThan(1000);
    } finally {
      stop.set(true);
      uploaders.shutdownNow();
    }
  }

  private static long[] latencies(String body, int count) {
    long[] ms = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      given()
          .contentType("application/json")
          .body(body)
          .post("/api/predict")
          .then()
          .statusCode(200);
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    return ms;
  }
}
