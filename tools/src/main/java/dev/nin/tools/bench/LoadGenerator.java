package dev.nin.tools.bench;

import dev.nin.client.GrpcPredictions;
import dev.nin.client.RestPredictions;
import dev.nin.contracts.v1.Image;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code concurrency} threads, each sending one single-image request after the
 * other (REST and OIP REST: JSON on its own keep-alive connection; gRPC and OIP gRPC: one shared
 * HTTP/2 channel). The first second warms up and is not counted.
 */
final class LoadGenerator {

  private static final long WARM_UP_NANOS = 1_000_000_000L;

  private final URI service;
  private final GrpcPredictions grpc;
  private final List<byte[]> restBodies = new ArrayList<>();
  private final List<byte[]> oipBodies = new ArrayList<>();
  private final List<Image> grpcImages = new ArrayList<>();

  LoadGenerator(URI service, GrpcPredictions grpc, byte[] pixels, int images) {
    this.service = service;
    this.grpc = grpc;
    for (int i = 0; i < images; i++) {
      restBodies.add(RestPredictions.body(pixels, i, 1).getBytes(StandardCharsets.UTF_8));
      oipBodies.add(RestPredictions.oipBody(pixels, i).getBytes(StandardCharsets.UTF_8));
      grpcImages.add(GrpcPredictions.image(pixels, i));
    }
  }

  LoadResult run(String transport, int concurrency, double seconds) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + WARM_UP_NANOS;
    long end = measureFrom + (long) (seconds * 1e9);
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      long[][] own = {new long[1024]};
      int[] size = {0};
      int offset = t * 37;
      Thread thread =
          new Thread(
              () -> {
                int i = offset;
                boolean oipRest = transport.equals("oip-rest");
                var rest =
                    new KeepAliveHttp(
                        service.getHost(),
                        service.getPort(),
                        oipRest ? "/v2/models/nin/infer" : "/api/predict?topK=5");
                while (true) {
                  long sent = System.nanoTime();
                  if (sent >= end) {
                    break;
                  }
                  try {
                    int image = i++ % restBodies.size();
                    switch (transport) {
                      case "rest" -> rest.post(restBodies.get(image));
                      case "oip-rest" -> rest.post(oipBodies.get(image));
                      case "oip-grpc" -> grpc.oipInfer(grpcImages.get(image));
                      default -> grpc.predict(grpcImages.get(image), 5);
                    }
                  } catch (Exception e) {
                    if (sent >= measureFrom) {
                      failures.incrementAndGet();
                      firstFailure.compareAndSet(null, e.toString());
                    }
                    continue;
                  }
                  long done = System.nanoTime();
                  if (sent >= measureFrom && done <= end) {
                    if (size[0] == own[0].length) {
                      own[0] = java.util.Arrays.copyOf(own[0], size[0] * 2);
                    }
                    own[0][size[0]++] = done - sent;
                  }
                }
                rest.close();
                synchronized (perThread) {
                  perThread.add(java.util.Arrays.copyOf(own[0], size[0]));
                }
              },
              "load-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long[] all = perThread.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    return new LoadResult(
        transport, concurrency, all.length, failures.get(), seconds, all, firstFailure.get());
  }
}
