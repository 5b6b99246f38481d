package dev.nin.ingest.publishing;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Keeps one publisher per request when the partition moves. The channel's consumer keeps polling
 * while a request is published (minutes), so a second ingest (a rolling update's new pod) can be
 * given the partition mid-publication and would receive the same uncommitted request: two
 * publishers of one run's topics would write its batches twice. Kafka calls this listener on the
 * polling thread before the partition goes (and when the consumer closes at shutdown); it waits for
 * the request in progress and commits it, so the next owner starts after it. A request stuck in
 * retries holds the handover up to {@code max.poll.interval.ms} (30 minutes), after which the group
 * moves on without this member.
 */
@ApplicationScoped
@Identifier(RequestHandover.NAME)
public class RequestHandover implements KafkaConsumerRebalanceListener {

  static final String NAME = "training-request-handover";
  private static final Logger LOG = Logger.getLogger(RequestHandover.class);

  private final Semaphore handling = new Semaphore(1);
  // the newest request that went through, not yet known to be committed: (partition, next offset)
  private volatile TopicPartition donePartition;
  private volatile long doneNextOffset;

  /** Before a request is handled: waits while the partition is being handed over. */
  void begin() throws InterruptedException {
    handling.acquire();
  }

  /** After it: {@code done} when it went through or was dead-lettered (its offset may go). */
  void end(ConsumerRecord<String, byte[]> record, boolean done) {
    if (done) {
      doneNextOffset = record.offset() + 1;
      donePartition = new TopicPartition(record.topic(), record.partition());
    }
    handling.release();
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    handling.acquireUninterruptibly();
    try {
      TopicPartition partition = donePartition;
      if (partition != null && partitions.contains(partition)) {
        // the channel's own commit of it may not have run yet: make it before the partition goes
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(doneNextOffset)));
        donePartition = null;
      }
    } catch (RuntimeException e) {
      // the next owner gets the request again; the publisher resumes where the topics end
      LOG.warnf("could not commit before handing %s over: %s", partitions, e.getMessage());
    } finally {
      handling.release();
    }
  }
}
