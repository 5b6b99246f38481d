package dev.nin.ingest.publishing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.contracts.v1.ImageBatch;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.RealInfrastructureResource;
import dev.nin.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class RunPublicationIT {

  @Inject PipelineKafka clients;
  @Inject RunTopics topics;

  @Test
  void publishesTheTestSplitOnceAndEveryEpochShuffledAndClassBalanced() throws Exception {
    UUID run = request(7, 100, 2, 1000, 500);

    awaitPublished(run, 20, 1);

    List<ImageBatch> train = read(Topics.trainBatches(run), 20);
    for (int i = 0; i < train.size(); i++) {
      var batch = train.get(i);
      assertThat(batch.getRunId()).isEqualTo(run.toString());
      assertThat(batch.getEpoch()).isEqualTo(i / 10);
      assertThat(batch.getIndex()).isEqualTo(i % 10);
      assertThat(batch.getBatchCount()).isEqualTo(10);
      assertThat(batch.getSplitImageCount()).isEqualTo(1000);
      assertThat(batch.getLabels().size()).isEqualTo(100);
      assertThat(batch.getPixels().size()).isEqualTo(100 * 784);
    }
    int[] epoch0 = classCounts(train.subList(0, 10));
    assertThat(epoch0).containsOnly(100);
    assertThat(classCounts(train.subList(10, 20))).containsOnly(100);
    assertThat(imageKeys(train.subList(0, 10))).isEqualTo(imageKeys(train.subList(10, 20)));
    assertThat(train.get(0).getPixels()).isNotEqualTo(train.get(10).getPixels());

    List<ImageBatch> test = read(Topics.testBatches(run), 1);
    assertThat(test.get(0).getLabels().size()).isEqualTo(500);
    assertThat(classCounts(test)).containsOnly(50);
  }

  @Test
  void aPublicationIsCountedInBatchesBytesAndTimeInTheMetrics() throws Exception {
    double batches = metric("nin_ingest_batches_published_total");
    double bytes = metric("nin_ingest_bytes_published_total");
    double publications = metric("nin_ingest_publication_seconds_count");

    UUID run = request(9, 250, 1, 1000, 500);
    awaitPublished(run, 4, 1);

    long published = 0;
    for (var batch : read(Topics.trainBatches(run), 4)) {
      published += batch.getSerializedSize();
    }
    published += read(Topics.testBatches(run), 1).get(0).getSerializedSize();
    long expectedBytes = published;
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(metric("nin_ingest_batches_published_total") - batches).isEqualTo(5);
              assertThat(metric("nin_ingest_bytes_published_total") - bytes)
                  .isEqualTo(expectedBytes);
              assertThat(metric("nin_ingest_publication_seconds_count") - publications)
                  .isEqualTo(1);
            });
  }

  private static double metric(String series) {
    return dev.nin.testsupport.PrometheusText.value(
            given().get("/q/metrics").then().extract().asString(), series)
        .orElse(0);
  }

  /**
   * Kafka holds a few epochs of a run, not all of them: each request publishes up to the trainer's
   * epoch plus {@code nin.run-topics.epochs-ahead} (1 by default), and no further.
   */
  @Test
  void publishesEpochByEpochAsTheTrainerAsksAndNeverMoreThanOneEpochAhead() throws Exception {
    UUID run = request(3, 250, 4, 1000, 1000); // 4 batches an epoch, 4 epochs
    awaitPublished(run, 8, 1); // epochs 0 and 1

    send(run.toString(), requestBytes(run, 3, 250, 4, 1000, 1000, 2)); // the trainer is on epoch 2
    awaitPublished(run, 16, 1); // through epoch 3, the run's last

    List<ImageBatch> train = read(Topics.trainBatches(run), 16);
    for (int i = 0; i < train.size(); i++) {
      assertThat(train.get(i).getEpoch()).isEqualTo(i / 4);
      assertThat(train.get(i).getIndex()).isEqualTo(i % 4);
    }
  }

  @Test
  void aRedeliveredRequestPublishesNothingTwice() throws Exception {
    UUID run = request(3, 250, 3, 1000, 1000);
    awaitPublished(run, 8, 1);

    send(run.toString(), requestBytes(run, 3, 250, 3, 1000, 1000, 0)); // the same request again
    send(run.toString(), requestBytes(run, 3, 250, 3, 1000, 1000, 2)); // the last epoch
    send(run.toString(), requestBytes(run, 3, 250, 3, 1000, 1000, 1)); // an older one, late
    UUID later = request(4, 500, 1, 1000, 1000); // processed after them: its end proves theirs
    awaitPublished(later, 2, 1);

    assertThat(topics.recordCount(Topics.trainBatches(run))).isEqualTo(12);
    assertThat(topics.recordCount(Topics.testBatches(run))).isEqualTo(1);
  }

  @Test
  void anEndedRunsTopicsAreDeleted() throws Exception {
    UUID run = request(8, 500, 2, 1000, 500);
    awaitPublished(run, 4, 1);

    send(
        run.toString(),
        TrainingRequest.parseFrom(requestBytes(run, 8, 500, 2, 1000, 500, 0)).toBuilder()
            .setRunEnded(true)
            .build()
            .toByteArray());

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              try (var admin = clients.admin()) {
                assertThat(admin.listTopics().names().get())
                    .doesNotContain(Topics.trainBatches(run), Topics.testBatches(run));
              }
            });
  }

  @Test
  void malformedAndInvalidRequestsBecomeDeadLettersAndTheServiceKeepsWorking() throws Exception {
    String garbageKey = "garbage-" + UUID.randomUUID();
    send(garbageKey, new byte[] {(byte) 0xff, 0x01, 0x02});
    UUID invalid = UUID.randomUUID();
    send(invalid.toString(), requestBytes(invalid, 1, 0, 1, 0, 0)); // batch size 0
    UUID valid = request(5, 500, 1, 500, 500);

    awaitPublished(valid, 1, 1);

    List<DeadLetter> letters = deadLetters();
    assertThat(letters)
        .anySatisfy(
            l -> {
              assertThat(l.getKey().toStringUtf8()).isEqualTo(garbageKey);
              assertThat(l.getReason()).contains("not a TrainingRequest protobuf");
              assertThat(l.getSourceTopic()).isEqualTo(Topics.TRAINING_REQUESTS);
            })
        .anySatisfy(
            l -> {
              assertThat(l.getKey().toStringUtf8()).isEqualTo(invalid.toString());
              assertThat(l.getReason()).contains("batch_size must be in [1, 4096], was 0");
            });
  }

  /**
   * The poison pill: a run topic holding records that are not the run's stream made ingest
   * retry that request forever (every 2 s) while every later request waited and readiness said UP.
   */
  @Test
  void aRequestWhoseRunTopicHoldsAnotherStreamIsDeadLetteredAndTheNextOneProceeds()
      throws Exception {
    UUID tooMany = UUID.randomUUID(); // its test stream is 1 record; the topic holds 2
    topics.ensure(Topics.testBatches(tooMany));
    produce(Topics.testBatches(tooMany), "garbage-0", new byte[] {1});
    produce(Topics.testBatches(tooMany), "garbage-1", new byte[] {2});
    send(tooMany.toString(), requestBytes(tooMany, 1, 500, 1, 500, 500));
    UUID foreign = UUID.randomUUID(); // its test stream is 2 records; the topic holds 1 foreign
    topics.ensure(Topics.testBatches(foreign));
    produce(Topics.testBatches(foreign), "garbage-0", new byte[] {3});
    send(foreign.toString(), requestBytes(foreign, 1, 250, 1, 500, 500));
    UUID next = request(6, 500, 1, 500, 500);

    awaitPublished(next, 1, 1);

    assertThat(deadLetters())
        .anySatisfy(
            l -> {
              assertThat(l.getKey().toStringUtf8()).isEqualTo(tooMany.toString());
              assertThat(l.getReason())
                  .contains("run topic conflict")
                  .contains("holds 2 records, more than the run's 1");
            })
        .anySatisfy(
            l -> {
              assertThat(l.getKey().toStringUtf8()).isEqualTo(foreign.toString());
              assertThat(l.getReason()).contains("not this run's stream");
            });
    try (var admin = clients.admin()) {
      assertThat(admin.listTopics().names().get())
          .as("nothing of the refused run was published")
          .doesNotContain(Topics.trainBatches(tooMany), Topics.trainBatches(foreign));
    }
    given().get("/q/health/ready").then().statusCode(200);
  }

  /** A request that keeps failing for a reason a retry may fix is retried, and readiness tells. */
  @Test
  void readinessIsDownWhileARequestKeepsFailingAndUpOnceItGoesThrough() throws Exception {
    UUID run = UUID.randomUUID();
    String topic = Topics.testBatches(run);
    topics.ensure(topic);
    var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (var admin = clients.admin()) {
      // a 500-image batch (~390 KB) cannot go into this topic
      admin.incrementalAlterConfigs(Map.of(resource, List.of(maxMessageBytes(1024)))).all().get();
    }
    send(run.toString(), requestBytes(run, 2, 500, 1, 500, 500));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  given()
                      .get("/q/health/ready")
                      .then()
                      .statusCode(503)
                      .body(
                          "checks.find { it.name == 'training-requests' }.status",
                          equalTo("DOWN")));
    } finally {
      try (var admin = clients.admin()) {
        admin
            .incrementalAlterConfigs(
                Map.of(resource, List.of(maxMessageBytes(Topics.MAX_RECORD_BYTES))))
            .all()
            .get();
      }
    }
    awaitPublished(run, 1, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  private static AlterConfigOp maxMessageBytes(int bytes) {
    return new AlterConfigOp(
        new ConfigEntry("max.message.bytes", String.valueOf(bytes)), AlterConfigOp.OpType.SET);
  }

  private void produce(String topic, String key, byte[] value) throws Exception {
    try (var producer = clients.producer("test")) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private UUID request(long seed, int batchSize, int epochs, int trainLimit, int testLimit)
      throws Exception {
    UUID run = UUID.randomUUID();
    send(run.toString(), requestBytes(run, seed, batchSize, epochs, trainLimit, testLimit));
    return run;
  }

  private static byte[] requestBytes(
      UUID run, long seed, int batchSize, int epochs, int trainLimit, int testLimit) {
    return requestBytes(run, seed, batchSize, epochs, trainLimit, testLimit, 0);
  }

  private static byte[] requestBytes(
      UUID run,
      long seed,
      int batchSize,
      int epochs,
      int trainLimit,
      int testLimit,
      int currentEpoch) {
    return TrainingRequest.newBuilder()
        .setCurrentEpoch(currentEpoch)
        .setRunId(run.toString())
        .setSeed(seed)
        .setBatchSize(batchSize)
        .setEpochs(epochs)
        .setTrainLimit(trainLimit)
        .setTestLimit(testLimit)
        .build()
        .toByteArray();
  }

  private void send(String key, byte[] value) throws Exception {
    clients.ensureTopic(Topics.TRAINING_REQUESTS);
    try (var producer = clients.producer("test")) {
      producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, key, value)).get();
    }
  }

  private void awaitPublished(UUID run, long trainRecords, long testRecords) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(topics.recordCount(Topics.testBatches(run))).isEqualTo(testRecords);
              assertThat(topics.recordCount(Topics.trainBatches(run))).isEqualTo(trainRecords);
            });
  }

  private List<ImageBatch> read(String topic, int count) throws Exception {
    var batches = new ArrayList<ImageBatch>();
    for (byte[] value : TopicRecords.first(clients.bootstrapServers(), topic, count)) {
      batches.add(ImageBatch.parseFrom(value));
    }
    return batches;
  }

  private List<DeadLetter> deadLetters() throws Exception {
    var letters = new ArrayList<DeadLetter>();
    for (byte[] value : TopicRecords.all(clients.bootstrapServers(), Topics.DEAD_LETTERS)) {
      letters.add(DeadLetter.parseFrom(value));
    }
    return letters;
  }

  private static int[] classCounts(List<ImageBatch> batches) {
    int[] counts = new int[10];
    for (var batch : batches) {
      for (byte label : batch.getLabels().toByteArray()) {
        counts[label]++;
      }
    }
    return counts;
  }

  /** The set of images (by content) in some batches, order-independent. */
  private static HashSet<String> imageKeys(List<ImageBatch> batches) {
    var keys = new HashSet<String>();
    for (var batch : batches) {
      byte[] pixels = batch.getPixels().toByteArray();
      for (int i = 0; i < batch.getLabels().size(); i++) {
        keys.add(Arrays.toString(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784)));
      }
    }
    return keys;
  }
}
