package dev.nin.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.client.GrpcPredictions;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The second half of {@code scripts/bench.sh serve}: safe promotion under load, against an
 * inference-service started with a shadow ({@code shadow}) or a canary ({@code canary}) configured.
 *
 * <ul>
 *   <li>{@code shadow}: REST at concurrency 64 with nothing on trial, then again while a candidate
 *       is shadowed; prints {@code shadow_p99_over_steady} (goal at most 1.5) and the shadow's own
 *       figures.
 *   <li>{@code canary}: REST at concurrency 64 while a candidate is published, tried as a canary
 *       and promoted; prints {@code canary_failed_requests} (goal 0) and {@code canary_promoted}.
 * </ul>
 */
public final class TrialBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final double seconds;
  private final int resize;
  private final HttpClient http = HttpClient.newHttpClient();

  private TrialBenchmark(String url, double seconds, int resize) {
    this.url = url;
    this.seconds = seconds;
    this.resize = resize;
  }

  public static void main(String[] argv) throws Exception {
    String stage = argv.length > 0 ? argv[0] : "";
    String url = "http://127.0.0.1:8082";
    double seconds = 8;
    int resize = 96;
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--url" -> url = argv[++i];
        case "--seconds" -> seconds = Double.parseDouble(argv[++i]);
        case "--resize" -> resize = Integer.parseInt(argv[++i]);
        case "--reloads", "--pid" -> i++; // ServeBenchmark's options, passed on by bench.sh
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    var bench = new TrialBenchmark(url, seconds, resize);
    switch (stage) {
      case "shadow" -> bench.shadow();
      case "canary" -> bench.canary();
      default -> throw new IllegalArgumentException("usage: TrialBenchmark shadow|canary [...]");
    }
  }

  private void shadow() throws Exception {
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    byte[] zip = ServeBenchmark.untrainedModelZip(resize, 2);
    URI uri = URI.create(url);
    try (var grpc = new GrpcPredictions(uri.getHost(), uri.getPort());
        var serving = servingModel();
        var checkpoints = publisher()) {
      var load = new LoadGenerator(uri, grpc, test.pixels(), 1000);
      // the service has just started: a first load warms its JIT up, so that the steady figure
      // the shadow is compared with is not a cold one (measured 535 cold against 980 img/s warm)
      load.run("rest", 64, seconds);
      LoadResult steady = load.run("rest", 64, seconds);
      log(
          "rest c=64, nothing on trial: %.1f img/s, p99 %.2f ms",
          steady.imagesPerSecond(), steady.percentileMillis(0.99));

      long candidate = checkpoints.start("bench-shadow", zip, Sha256.hex(zip), resize);
      awaitTrial(candidate, "SHADOW");
      LoadResult shadowed = load.run("rest", 64, seconds);
      JsonNode trial = model().path("trial");
      log(
          "rest c=64 while checkpoint %d is shadowed: %.1f img/s, p99 %.2f ms, %d failed;"
              + " the shadow scored %d copies, p99 %.2f ms",
          candidate,
          shadowed.imagesPerSecond(),
          shadowed.percentileMillis(0.99),
          shadowed.failures(),
          trial.path("requests").asLong(),
          trial.path("p99Millis").asDouble());
      ServeBenchmark.out("steady_p99_ms", steady.percentileMillis(0.99));
      ServeBenchmark.out("shadow_p99_ms", shadowed.percentileMillis(0.99));
      ServeBenchmark.out("shadow_images_per_s", shadowed.imagesPerSecond());
      ServeBenchmark.out("shadow_copies_scored", trial.path("requests").asLong());
      ServeBenchmark.out("shadow_candidate_p99_ms", trial.path("p99Millis").asDouble());
      System.out.println("shadow_failed_requests=" + shadowed.failures());
      System.out.printf(
          Locale.ROOT,
          "shadow_throughput_over_steady=%.3f%n",
          shadowed.imagesPerSecond() / steady.imagesPerSecond());
      System.out.printf(
          Locale.ROOT,
          "shadow_p99_over_steady=%.3f%n",
          shadowed.percentileMillis(0.99) / steady.percentileMillis(0.99));
    }
  }

  private void canary() throws Exception {
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    byte[] zip = ServeBenchmark.untrainedModelZip(resize, 3);
    URI uri = URI.create(url);
    try (var grpc = new GrpcPredictions(uri.getHost(), uri.getPort());
        var serving = servingModel();
        var checkpoints = publisher()) {
      var load = new LoadGenerator(uri, grpc, test.pixels(), 1000);
      AtomicReference<Long> promotedAfterMillis = new AtomicReference<>();
      AtomicReference<Exception> failure = new AtomicReference<>();
      double loadSeconds = Math.max(seconds, 30);
      Thread publisher =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1500); // past the load generator's warm-up second
                  long start = System.nanoTime();
                  long candidate = checkpoints.start("bench-canary", zip, Sha256.hex(zip), resize);
                  checkpoints.awaitActive(candidate, Duration.ofSeconds((long) loadSeconds));
                  promotedAfterMillis.set((System.nanoTime() - start) / 1_000_000);
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "canary-publisher");
      publisher.start();
      LoadResult result = load.run("rest", 64, loadSeconds);
      publisher.join();
      boolean promoted = promotedAfterMillis.get() != null;
      JsonNode promotion = null;
      for (JsonNode event : model().path("history")) {
        if (event.path("kind").asText().equals("PROMOTED")) {
          promotion = event;
          break;
        }
      }
      log(
          "rest c=64 for %.0f s while a canary took over%s: %.1f img/s, p99 %.2f ms, %d failed%s",
          loadSeconds,
          promoted ? " (promoted after " + promotedAfterMillis.get() + " ms)" : " (NOT promoted)",
          result.imagesPerSecond(),
          result.percentileMillis(0.99),
          result.failures(),
          result.firstFailure() == null ? "" : " (first: " + result.firstFailure() + ")");
      if (failure.get() != null) {
        log("publisher: %s", failure.get());
      }
      if (promotion != null) {
        ServeBenchmark.out("canary_requests", promotion.path("figures").path("requests").asLong());
        ServeBenchmark.out("canary_p99_ms", promotion.path("figures").path("p99Millis").asDouble());
      }
      System.out.println("canary_promoted=" + promoted);
      System.out.println("canary_failed_requests=" + result.failures());
    }
  }

  private CheckpointPublisher publisher() throws Exception {
    return new CheckpointPublisher(
        ServeBenchmark.env("DB_URL", "jdbc:postgresql://127.0.0.1:5432/nin"),
        ServeBenchmark.env("DB_USER", "nin"),
        ServeBenchmark.env("DB_PASSWORD", "nin"),
        ServeBenchmark.env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        url);
  }

  private JsonNode model() throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/api/model")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /**
   * A model of its own that the service serves before the candidate arrives: a trial needs one to
   * compare with, and the database may hold none (ServeBenchmark deletes its run at the end). The
   * first model goes straight in (there is nothing to try it against); when another already serves,
   * this one goes on trial and the candidate, newer, takes its place there. Deleted at the end.
   */
  private CheckpointPublisher servingModel() throws Exception {
    byte[] zip = ServeBenchmark.untrainedModelZip(resize, 1);
    var serving = publisher();
    try {
      long id = serving.start("bench-serving", zip, Sha256.hex(zip), resize);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!servesOrTries(model(), id)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "checkpoint " + id + " neither served nor tried in 120 s");
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      serving.close();
      throw e;
    }
    return serving;
  }

  private static boolean servesOrTries(JsonNode model, long checkpointId) {
    JsonNode active = model.path("active");
    if (active.isNull() || active.isMissingNode()) {
      return false;
    }
    return active.path("checkpointId").asLong() == checkpointId
        || model.path("trial").path("candidate").path("checkpointId").asLong() == checkpointId;
  }

  private void awaitTrial(long candidate, String stage) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      JsonNode trial = model().path("trial");
      if (trial.path("candidate").path("checkpointId").asLong() == candidate
          && trial.path("stage").asText().equals(stage)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "checkpoint " + candidate + " did not reach " + stage + " within 120 s: " + trial);
      }
      Thread.sleep(50);
    }
  }

  private static void log(String format, Object... args) {
    System.err.println("[bench trial] " + String.format(Locale.ROOT, format, args));
  }
}
