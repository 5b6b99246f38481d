package dev.nin.tools.chaos;

import dev.nin.contracts.BatchDigest;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.tools.bench.Targets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a run's topic holds, read back from the broker: per epoch, the images, the batches, a batch
 * published twice, and the {@link BatchDigest} of its batches. The independent side of the
 * trainer's own per-epoch counts: {@code scripts/chaos.sh} and {@code PipelineEndToEndIT} compare
 * the two.
 *
 * <p>Ingest deletes a run's topics once the run ends, so a census of a whole run is taken by
 * following the topic while the run goes ({@link Follower}): from its creation to its deletion.
 *
 * <pre>
 *   TopicCensus RUN_ID [train|test]            what the topic holds now
 *   TopicCensus --follow RUN_ID [train|test]   follows it until it is deleted (at most 30 min)
 *   each prints one line per epoch: epoch images batches duplicates digest first_published_ms
 * </pre>
 */
public final class TopicCensus {

  /**
   * One epoch of a topic.
   *
   * @param firstPublishedMs when ingest published the epoch's first batch (the record's time)
   */
  public record Epoch(
      long images, int batches, int duplicates, long digest, long firstPublishedMs) {}

  private TopicCensus() {}

  public static void main(String[] args) throws Exception {
    boolean follow = args[0].equals("--follow");
    int at = follow ? 1 : 0;
    UUID run = UUID.fromString(args[at]);
    boolean test = args.length > at + 1 && args[at + 1].equals("test");
    String topic = test ? Topics.testBatches(run) : Topics.trainBatches(run);
    String kafka = Targets.fromEnvironment().kafka();
    Map<Integer, Epoch> census;
    if (follow) {
      try (var follower = Follower.start(kafka, topic)) {
        census = follower.awaitDeleted(Duration.ofMinutes(30));
      }
    } else {
      census = read(kafka, topic);
    }
    System.out.print(toLines(census));
  }

  /**
   * The census as {@link #main} prints it, one line per epoch: {@code epoch images batches
   * duplicates digest first_published_ms}.
   */
  public static String toLines(Map<Integer, Epoch> census) {
    var lines = new StringBuilder();
    census.forEach(
        (epoch, e) ->
            lines.append(
                "%d %d %d %d %d %d%n"
                    .formatted(
                        epoch,
                        e.images(),
                        e.batches(),
                        e.duplicates(),
                        e.digest(),
                        e.firstPublishedMs())));
    return lines.toString();
  }

  /** The census back from {@link #toLines}' lines (blank lines ignored). */
  public static Map<Integer, Epoch> fromLines(List<String> lines) {
    var census = new TreeMap<Integer, Epoch>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split(" ");
      census.put(
          Integer.parseInt(f[0]),
          new Epoch(
              Long.parseLong(f[1]),
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              Long.parseLong(f[4]),
              Long.parseLong(f[5])));
    }
    return census;
  }

  /** Reads {@code topic} from its beginning to its current end. */
  public static Map<Integer, Epoch> read(String bootstrapServers, String topic) {
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("max.partition.fetch.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
    var epochs = new TreeMap<Integer, Epoch>();
    var seen = new HashSet<String>();
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
        }
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          ImageBatch batch;
          try {
            batch = ImageBatch.parseFrom(record.value());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            continue; // not a batch (a forged record): the trainer dead-letters it, so do we
          }
          count(batch, record.timestamp(), epochs, seen);
        }
      }
    }
    return epochs;
  }

  private static void count(
      ImageBatch batch, long publishedMs, Map<Integer, Epoch> epochs, Set<String> seen) {
    boolean first = seen.add(batch.getEpoch() + "/" + batch.getIndex());
    var before = epochs.getOrDefault(batch.getEpoch(), new Epoch(0, 0, 0, 0, publishedMs));
    epochs.put(
        batch.getEpoch(),
        first
            ? new Epoch(
                before.images() + batch.getLabels().size(),
                before.batches() + 1,
                before.duplicates(),
                BatchDigest.add(before.digest(), batch.getEpoch(), batch.getIndex()),
                Math.min(before.firstPublishedMs(), publishedMs))
            : new Epoch(
                before.images(),
                before.batches(),
                before.duplicates() + 1,
                before.digest(),
                before.firstPublishedMs()));
  }

  /**
   * Reads a topic from the moment it exists to the moment it is deleted, on a thread of its own:
   * the census of a run whose topics are gone by the time it ends.
   */
  public static final class Follower implements AutoCloseable {

    private final String bootstrapServers;
    private final String topic;
    private final Map<Integer, Epoch> epochs = new TreeMap<>();
    private final Set<String> seen = new HashSet<>();
    private final CountDownLatch deleted = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    private Follower(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
      this.thread = new Thread(this::follow, "census-" + topic);
      thread.setDaemon(true);
    }

    public static Follower start(String bootstrapServers, String topic) {
      var follower = new Follower(bootstrapServers, topic);
      follower.thread.start();
      return follower;
    }

    /** Waits for the topic's deletion and returns what it held, epoch by epoch. */
    public Map<Integer, Epoch> awaitDeleted(Duration timeout) throws InterruptedException {
      if (!deleted.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(topic + " was not deleted within " + timeout);
      }
      if (failure != null) {
        throw new IllegalStateException("following " + topic + " failed", failure);
      }
      synchronized (epochs) {
        return new TreeMap<>(epochs);
      }
    }

    private void follow() {
      var props = new Properties();
      props.put("bootstrap.servers", bootstrapServers);
      props.put("max.partition.fetch.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
      var partition = new TopicPartition(topic, 0);
      boolean existed = false;
      long nextCheck = 0;
      try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
          var consumer =
              new KafkaConsumer<>(
                  props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        while (running) {
          if (System.nanoTime() >= nextCheck) {
            nextCheck = System.nanoTime() + Duration.ofMillis(500).toNanos();
            boolean exists;
            try {
              exists = admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
            } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
              continue; // the broker is restarting: ask again
            }
            if (exists && !existed) {
              existed = true;
              consumer.assign(List.of(partition));
              consumer.seekToBeginning(List.of(partition));
            } else if (!exists && existed) {
              return; // deleted: everything it held was read (records come long before the end)
            }
          }
          if (!existed) {
            Thread.sleep(100);
            continue;
          }
          for (var record : consumer.poll(Duration.ofMillis(200))) {
            try {
              var batch = ImageBatch.parseFrom(record.value());
              synchronized (epochs) {
                count(batch, record.timestamp(), epochs, seen);
              }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              // not a batch (a forged record): the trainer dead-letters it, so do we
            }
          }
        }
      } catch (Exception e) {
        failure = e;
      } finally {
        deleted.countDown();
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5000);
    }
  }
}
