package dev.nin.servicekit.kafka;

import dev.nin.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The Reactive Messaging channel {@value #NAME}, which every service maps to {@value
 * Topics#DEAD_LETTERS} in its {@code application.properties} (the same producer settings as the
 * pipeline's other records). {@link DeadLetterPublisher} writes the letters; this only sends them.
 */
@ApplicationScoped
public class DeadLetterChannel {

  public static final String NAME = "dead-letters";
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<byte[]> emitter;

  DeadLetterChannel(@Channel(NAME) MutinyEmitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  /**
   * Blocks until the broker has the letter (the caller moves past the bad record only then), so
   * never on an event loop; fails after {@link #ACK_TIMEOUT}.
   */
  void send(String key, byte[] letter) {
    emitter.sendMessage(KeyedRecords.of(key, letter)).await().atMost(ACK_TIMEOUT);
  }
}
