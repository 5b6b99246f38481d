package dev.nin.ingest.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A second ingest that joins the group while a request is being published (a rolling update's new
 * pod) is given its share of the partition only once that publication is finished and committed:
 * one request never has two publishers. The channel's consumer keeps polling while it publishes, so
 * without the handover listener the group would rebalance at once, mid-publication.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class RequestHandoverIT {

  private static final TopicPartition REQUESTS = new TopicPartition(Topics.TRAINING_REQUESTS, 0);

  @Inject PipelineKafka clients;
  @Inject RunTopics topics;

  record AtRebalance(long trainRecords, long committedOffset) {}

  @Test
  void aSecondIngestJoiningMidPublicationWaitsForItToBeCommitted() throws Exception {
    UUID run = UUID.randomUUID();
    // the whole training split, epochs 0 and 1 (one ahead): 2 × 469 batches, seconds of work
    long requestOffset = send(run);
    long wholePublication = 2L * ((60_000 + 127) / 128);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> topics.recordCount(Topics.trainBatches(run)) > 0);

    var rebalanced = new CompletableFuture<AtRebalance>();
    try (var secondIngest = clients.consumer("nin-ingest")) {
      secondIngest.subscribe(
          List.of(Topics.TRAINING_REQUESTS),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // the group's first assignment with this member in it, whoever got the partition
              try {
                var committed = secondIngest.committed(Set.of(REQUESTS)).get(REQUESTS);
                rebalanced.complete(
                    new AtRebalance(
                        topics.recordCount(Topics.trainBatches(run)),
                        committed == null ? -1 : committed.offset()));
              } catch (Exception e) {
                rebalanced.completeExceptionally(e);
              }
            }
          });
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                secondIngest.poll(Duration.ofMillis(200)); // joins; nothing is committed
                return rebalanced.isDone();
              });
    }
    AtRebalance atRebalance = rebalanced.get();
    assertThat(atRebalance.trainRecords())
        .as("train batches published when the group rebalanced")
        .isEqualTo(wholePublication);
    assertThat(atRebalance.committedOffset())
        .as("the request's offset was committed before the partition could move")
        .isGreaterThan(requestOffset);
  }

  private long send(UUID run) throws Exception {
    byte[] request =
        TrainingRequest.newBuilder()
            .setRunId(run.toString())
            .setSeed(5)
            .setBatchSize(128)
            .setEpochs(3)
            .setCurrentEpoch(0)
            .build()
            .toByteArray();
    clients.ensureTopic(Topics.TRAINING_REQUESTS);
    try (var producer = clients.producer("test")) {
      return producer
          .send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, run.toString(), request))
          .get()
          .offset();
    }
  }
}
