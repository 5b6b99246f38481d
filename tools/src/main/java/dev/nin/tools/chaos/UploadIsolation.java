package dev.nin.tools.chaos;

import dev.nin.tools.bench.Targets;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Whether a small request's latency depends on another client's upload, against the running
 * inference service: the p50 of 784-pixel JSON predicts alone, then while four clients keep
 * uploading a 4096×4096 16-bit PNG (about a hundred KB on the wire, 32 MB of samples, seconds to
 * decode). Prints key=value lines for {@code scripts/chaos.sh}.
 */
public final class UploadIsolation {

  private static final int SMALL_REQUESTS = 20;
  private static final int UPLOADERS = 4;

  private UploadIsolation() {}

  public static void main(String[] args) throws Exception {
    var predict = URI.create(Targets.fromEnvironment().inference() + "/api/predict");
    var http = HttpClient.newHttpClient();
    String small = "{\"pixels\":[" + String.join(",", Collections.nCopies(784, "0")) + "]}";
    long[] quiet = latencies(http, predict, small);

    byte[] big = sixteenBitPng(4096);
    var stop = new AtomicBoolean();
    var uploads = new AtomicInteger();
    var uploadFailures = new AtomicInteger();
    ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
    for (int i = 0; i < UPLOADERS; i++) {
      uploaders.submit(
          () -> {
            while (!stop.get()) {
              try {
                int status =
                    post(http, predict, "image/png", HttpRequest.BodyPublishers.ofByteArray(big));
                (status == 200 ? uploads : uploadFailures).incrementAndGet();
              } catch (Exception e) {
                uploadFailures.incrementAndGet();
              }
            }
            return null;
          });
    }
    Thread.sleep(500); // the uploads are decoding now
    long[] busy = latencies(http, predict, small);
    stop.set(true);
    uploaders.shutdown();
    uploaders.awaitTermination(2, TimeUnit.MINUTES);

    System.out.printf("small_request_p50_ms_baseline=%d%n", median(quiet));
    System.out.printf("small_request_p50_ms_during_big_uploads=%d%n", median(busy));
    System.out.printf(
        "small_request_max_ms_during_big_uploads=%d%n", Arrays.stream(busy).max().orElseThrow());
    System.out.printf("big_uploads_done=%d%n", uploads.get());
    System.out.printf("big_uploads_failed=%d%n", uploadFailures.get());
  }

  private static long[] latencies(HttpClient http, URI predict, String body) throws Exception {
    long[] ms = new long[SMALL_REQUESTS];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      int status =
          post(http, predict, "application/json", HttpRequest.BodyPublishers.ofString(body));
      if (status != 200) {
        throw new IllegalStateException("a small predict answered " + status);
      }
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    return ms;
  }

  private static int post(
      HttpClient http, URI predict, String contentType, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(predict).header("Content-Type", contentType).POST(body).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** A mostly black 16-bit grayscale picture: about a hundred KB of PNG, 32 MB of samples. */
  private static byte[] sixteenBitPng(int side) throws Exception {
    var picture = new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY);
    var g = picture.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(side / 4, side / 4, side / 2, side / 2);
    g.dispose();
    var out = new ByteArrayOutputStream();
    ImageIO.write(picture, "png", out);
    return out.toByteArray();
  }
}
