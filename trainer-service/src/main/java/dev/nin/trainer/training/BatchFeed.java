package dev.nin.trainer.training;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.FashionMnist;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.servicekit.kafka.PipelineKafka;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a run topic from an offset on its own thread and keeps up to {@code capacity} parsed
 * batches ready, so that the TensorFlow session never waits on Kafka. A record that is not a valid
 * batch of this run goes to the dead letters and is skipped.
 */
final class BatchFeed implements AutoCloseable {

  /** A batch, the offset it was read from, and the dataset digests its record carried. */
  record Item(long offset, ImageBatch batch, java.util.Map<String, String> datasetSha256) {}

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private volatile boolean running = true;

  /** The topic's end offset as of the last poll (position plus lag): what ingest has published. */
  private volatile long endOffset;

  private final org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer;

  BatchFeed(
      PipelineKafka kafka,
      String topic,
      UUID runId,
      long fromOffset,
      int capacity,
      BiConsumer<ConsumerRecord<String, byte[]>, String> deadLetters) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
    this.consumer = kafka.consumer("nin-trainer-" + runId);
    var partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seek(partition, fromOffset);
    this.endOffset = fromOffset;
    this.thread =
        new Thread(() -> read(partition, runId, deadLetters), "batch-feed-" + topic.hashCode());
    thread.setDaemon(true);
    thread.start();
  }

  private void read(
      TopicPartition partition,
      UUID runId,
      BiConsumer<ConsumerRecord<String, byte[]>, String> deadLetters) {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(500));
        // from the last fetch's metadata: no call to the broker (and the consumer is this thread's)
        var lag = consumer.currentLag(partition);
        if (lag.isPresent()) {
          endOffset = consumer.position(partition) + lag.getAsLong();
        }
        for (var record : records) {
          String problem = null;
          ImageBatch batch = null;
          try {
            batch = ImageBatch.parseFrom(record.value() == null ? new byte[0] : record.value());
            problem = problem(batch, runId);
          } catch (InvalidProtocolBufferException e) {
            problem = "not an ImageBatch protobuf: " + e.getMessage();
          }
          if (problem != null) {
            deadLetters.accept(record, problem);
          } else {
            var item = new Item(record.offset(), batch, DatasetHeaders.of(record.headers()));
            while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
              if (!running) {
                return;
              }
            }
          }
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // closed
    } catch (RuntimeException e) {
      if (running) {
        queue.offer(e);
      }
    } finally {
      try {
        consumer.close();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }

  /** Why a batch cannot be trained on, or null. */
  static String problem(ImageBatch batch, UUID runId) {
    int count = batch.getLabels().size();
    if (!batch.getRunId().equals(runId.toString())) {
      return "batch of run " + batch.getRunId() + " in the topic of run " + runId;
    }
    if (batch.getHeight() != FashionMnist.HEIGHT || batch.getWidth() != FashionMnist.WIDTH) {
      return "images are " + batch.getHeight() + "x" + batch.getWidth() + ", expected 28x28";
    }
    if (count == 0 || batch.getPixels().size() != count * FashionMnist.PIXELS) {
      return count
          + " labels need "
          + count * FashionMnist.PIXELS
          + " pixels, got "
          + batch.getPixels().size();
    }
    if (batch.getBatchCount() == 0 || batch.getIndex() >= batch.getBatchCount()) {
      return "index " + batch.getIndex() + " of " + batch.getBatchCount() + " batches";
    }
    for (byte label : batch.getLabels().toByteArray()) {
      if ((label & 0xFF) >= FashionMnist.CLASS_COUNT) {
        return "label " + (label & 0xFF) + " is not a class";
      }
    }
    return null;
  }

  /** The topic's end offset when last seen: records ingest has published so far. */
  long endOffset() {
    return endOffset;
  }

  /** The next batch, waiting up to {@code timeout} for it. */
  Item next(Duration timeout) throws TimeoutException, InterruptedException {
    Object next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new TimeoutException("no batch arrived within " + timeout);
    }
    if (next instanceof RuntimeException e) {
      throw e;
    }
    return (Item) next;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup(); // poll() throws WakeupException; a waiting offer() sees running = false
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
