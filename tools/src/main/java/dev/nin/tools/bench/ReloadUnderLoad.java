package dev.nin.tools.bench;

import dev.nin.client.GrpcPredictions;
import dev.nin.core.checkpoint.Sha256;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code scripts/chaos.sh}' hot-reload fault: REST load at concurrency 16 while {@code --reloads}
 * new checkpoints are swapped in one after the other. Prints {@code reload_failed_requests}, {@code
 * reloads_done} (swaps completed while the load ran) and {@code reloads_after_load}.
 */
public final class ReloadUnderLoad {

  private ReloadUnderLoad() {}

  public static void main(String[] args) throws Exception {
    int reloads = args.length > 1 && args[0].equals("--reloads") ? Integer.parseInt(args[1]) : 10;
    var to = Targets.fromEnvironment();
    var test = FashionMnistFiles.read(FashionMnistFiles.DEFAULT_DIR, Split.TEST);
    byte[] zip = ServeBenchmark.untrainedModelZip(96, 3);
    URI uri = URI.create(to.inference());
    try (var grpc = new GrpcPredictions(uri.getHost(), uri.getPort());
        var checkpoints =
            new CheckpointPublisher(
                to.jdbcUrl(), to.dbUser(), to.dbPassword(), to.kafka(), to.inference())) {
      long first = checkpoints.start("chaos-reloads", zip, Sha256.hex(zip), 96);
      checkpoints.awaitActive(first, Duration.ofSeconds(60));
      var load = new LoadGenerator(uri, grpc, test.pixels(), 200);
      AtomicInteger done = new AtomicInteger();
      AtomicInteger late = new AtomicInteger();
      AtomicReference<Exception> failure = new AtomicReference<>();
      double loadSeconds = 2.0 + reloads * 2.0;
      long loadEnds = System.nanoTime() + (long) (loadSeconds * 1e9);
      Thread swapper =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1500);
                  for (int i = 0; i < reloads; i++) {
                    long id = checkpoints.publishCopy();
                    checkpoints.awaitActive(id, Duration.ofSeconds(60));
                    // only a swap completed while the load ran was a swap under load
                    (System.nanoTime() < loadEnds ? done : late).incrementAndGet();
                    Thread.sleep(300);
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              });
      swapper.start();
      var result = load.run("rest", 16, loadSeconds);
      swapper.join();
      if (failure.get() != null) {
        System.err.println("[reloads] swapping failed: " + failure.get());
      }
      System.err.printf(
          "[reloads] %d reloads under REST load (c=16): %d requests answered, %d failed%s%n",
          done.get(),
          result.images(),
          result.failures(),
          result.firstFailure() == null ? "" : " (first: " + result.firstFailure() + ")");
      System.out.println("reloads_done=" + done.get());
      System.out.println("reloads_after_load=" + late.get());
      System.out.println("reload_failed_requests=" + result.failures());
    }
  }
}
