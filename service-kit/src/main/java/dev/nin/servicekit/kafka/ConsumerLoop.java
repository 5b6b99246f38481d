package dev.nin.servicekit.kafka;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A Kafka consumer on a thread of its own that outlives broker outages: when anything fails, the
 * consumer is closed and a new one created after a pause (uncommitted records come back). Stopped
 * with {@code wakeup()}, never by interrupting the thread (Kafka turns an interrupt into an error).
 */
public final class ConsumerLoop {

  private static final System.Logger LOG = System.getLogger(ConsumerLoop.class.getName());

  /** Handles one record; may commit through the consumer. */
  @FunctionalInterface
  public interface RecordHandler {
    void handle(KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record);
  }

  private final String name;
  private final Supplier<KafkaConsumer<String, byte[]>> consumers;
  private final Consumer<KafkaConsumer<String, byte[]>> setUp;
  private final RecordHandler handler;
  private final Duration pauseAfterFailure;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile int consecutiveFailures;
  private volatile String lastError;
  // a record failed and has not gone through since: an empty poll proves nothing then
  private volatile boolean failingOnRecord;
  private Thread thread;

  /**
   * Whether the loop is making progress: a loop that keeps failing (on one record that will not go
   * through, or on an unreachable broker) shows it here, for a readiness check to report.
   *
   * @param consecutiveFailures failures since the last poll or record that went through
   * @param lastError the newest failure's message, null when healthy
   */
  public record Status(String name, int consecutiveFailures, String lastError) {
    public boolean progressing(int toleratedFailures) {
      return consecutiveFailures <= toleratedFailures;
    }
  }

  /**
   * @param setUp subscribes or assigns each new consumer (and whatever else a fresh start needs)
   */
  public ConsumerLoop(
      String name,
      Supplier<KafkaConsumer<String, byte[]>> consumers,
      Consumer<KafkaConsumer<String, byte[]>> setUp,
      RecordHandler handler,
      Duration pauseAfterFailure) {
    this.name = name;
    this.consumers = consumers;
    this.setUp = setUp;
    this.handler = handler;
    this.pauseAfterFailure = pauseAfterFailure;
  }

  private void healthy() {
    consecutiveFailures = 0;
    lastError = null;
  }

  public Status status() {
    return new Status(name, consecutiveFailures, lastError);
  }

  public void start() {
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  public void stop() throws InterruptedException {
    running = false;
    var current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  private void loop() {
    while (running) {
      try (var c = consumers.get()) {
        consumer = c;
        setUp.accept(c);
        while (running) {
          var records = c.poll(Duration.ofSeconds(1));
          if (!failingOnRecord) {
            healthy(); // the broker answers, and no record is stuck
          }
          for (var record : records) {
            failingOnRecord = true; // until the handler returns
            handler.handle(c, record);
            failingOnRecord = false;
            healthy();
          }
        }
      } catch (WakeupException stopping) {
        return;
      } catch (RuntimeException e) {
        consecutiveFailures++;
        lastError = e.getMessage();
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} failed, retrying in {1} s: {2}",
            name,
            pauseAfterFailure.toSeconds(),
            e.getMessage());
        try {
          Thread.sleep(pauseAfterFailure.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
