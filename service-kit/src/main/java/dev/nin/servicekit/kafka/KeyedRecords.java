package dev.nin.servicekit.kafka;

import dev.nin.servicekit.tracing.TraceContext;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Messages for a Kafka channel's emitter, as the pipeline's records are: keyed and traced. */
public final class KeyedRecords {

  private KeyedRecords() {}

  /**
   * {@code value} under {@code key}, carrying the current trace context in its headers (the
   * channels set {@code tracing-enabled=false}, so that the span the consumer opens joins the run's
   * trace exactly as with the plain clients).
   */
  public static Message<byte[]> of(String key, byte[] value) {
    var headers = new RecordHeaders();
    TraceContext.inject(headers);
    return Message.of(value)
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build());
  }
}
