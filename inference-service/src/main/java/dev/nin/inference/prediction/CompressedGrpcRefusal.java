package dev.nin.inference.prediction;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * Refuses compressed gRPC messages before any byte of them is read. The Vert.x gRPC server that
 * shares the HTTP port inflates a gzip message whole before {@code max-inbound-message-size} is
 * checked, so 50 MB of gzip was decompressed and parsed before the 4 MB limit answered. An image is
 * 784 bytes and a batch at most 256 of them: compression gains nothing here, so a request whose
 * {@code grpc-encoding} is not {@code identity} gets {@code UNIMPLEMENTED} with {@code
 * grpc-accept-encoding: identity}, as the gRPC compression specification asks of a server.
 */
@ApplicationScoped
public class CompressedGrpcRefusal {

  /** Before the gRPC server's own route. */
  private static final int ORDER = Integer.MIN_VALUE + 100;

  void install(@Observes Router router) {
    router
        .route()
        .order(ORDER)
        .handler(
            ctx -> {
              if (isCompressedGrpc(ctx.request())) {
                ctx.response()
                    .setStatusCode(200)
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-accept-encoding", "identity")
                    .putHeader("grpc-status", "12") // UNIMPLEMENTED
                    .putHeader(
                        "grpc-message",
                        "compressed messages are not accepted (grpc-encoding "
                            + ctx.request().getHeader("grpc-encoding")
                            + "): send identity")
                    .end();
              } else {
                ctx.next();
              }
            });
  }

  static boolean isCompressedGrpc(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    String encoding = request.getHeader("grpc-encoding");
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/grpc")
        && encoding != null
        && !encoding.equalsIgnoreCase("identity");
  }
}
