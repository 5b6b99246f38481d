package dev.nin.servicekit.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context ({@code traceparent}) across the hops that no instrumentation carries: the
 * hand-built Kafka clients' records, and a run's row in PostgreSQL (the run is trained later, on
 * another thread, maybe by another trainer, yet belongs to the trace of the request that queued
 * it). Without an active span (tracing off) nothing is written and an empty context is read.
 */
public final class TraceContext {

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapSetter<Headers> HEADER_SETTER =
      (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
      };

  private static final TextMapGetter<Headers> HEADER_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          var keys = new java.util.ArrayList<String>();
          headers.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          Header header = headers == null ? null : headers.lastHeader(key);
          return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private TraceContext() {}

  /** Writes the current trace context into a record's headers. */
  public static void inject(Headers headers) {
    W3C.inject(Context.current(), headers, HEADER_SETTER);
  }

  /** The trace context a record carries (the root context when it carries none). */
  public static Context extract(Headers headers) {
    return W3C.extract(Context.root(), headers, HEADER_GETTER);
  }

  /** The current trace context as a {@code traceparent} value, or null without an active span. */
  public static String currentTraceparent() {
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(Context.current(), carrier, Map::put);
    return carrier.get("traceparent");
  }

  /** The context a stored {@code traceparent} names (the root context for null). */
  public static Context fromTraceparent(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of("traceparent", traceparent), MAP_GETTER);
  }
}
