package dev.nin.system;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stand-in OpenTelemetry collector: OTLP over HTTP/protobuf on {@code /v1/traces}, keeping every
 * span it is sent, by service.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span: the sending service, its name, ids (hex) and string attributes. */
  record ReceivedSpan(
      String service,
      String name,
      String traceId,
      String spanId,
      String parentSpanId,
      Map<String, String> attributes) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new ArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            var request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
            receive(request);
            byte[] empty = new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, empty.length == 0 ? -1 : empty.length);
          }
        });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void receive(ExportTraceServiceRequest request) {
    var hex = HexFormat.of();
    for (var resourceSpans : request.getResourceSpansList()) {
      String service =
          resourceSpans.getResource().getAttributesList().stream()
              .filter(a -> a.getKey().equals("service.name"))
              .map(a -> a.getValue().getStringValue())
              .findFirst()
              .orElse("?");
      for (var scope : resourceSpans.getScopeSpansList()) {
        for (var span : scope.getSpansList()) {
          spans.add(
              new ReceivedSpan(
                  service,
                  span.getName(),
                  hex.formatHex(span.getTraceId().toByteArray()),
                  hex.formatHex(span.getSpanId().toByteArray()),
                  hex.formatHex(span.getParentSpanId().toByteArray()),
                  span.getAttributesList().stream()
                      .collect(
                          Collectors.toMap(
                              a -> a.getKey(),
                              a ->
                                  a.getValue().hasStringValue()
                                      ? a.getValue().getStringValue()
                                      : a.getValue().toString().trim(),
                              (a, b) -> a))));
        }
      }
    }
  }

  synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
