package dev.nin.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.DeadLetter;
import dev.nin.inference.Checkpoints;
import dev.nin.inference.InferenceInfrastructureResource;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.SharedInfrastructure;
import dev.nin.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A record on {@value Topics#CHECKPOINTS} that no replica can use goes to {@value
 * Topics#DEAD_LETTERS} through the {@code dead-letters} channel, with where it came from and why,
 * and the events after it still reach the model (the test profile polls the catalogue only hourly,
 * so only an event can bring the new checkpoint in).
 */
@QuarkusTest
@QuarkusTestResource(InferenceInfrastructureResource.class)
class CheckpointEventDeadLetterIT {

  private static final int RESIZE = 67;

  @Test
  void aMalformedEventIsDeadLetteredWithItsReasonAndTheNextEventIsStillServed() throws Exception {
    String bootstrap = SharedInfrastructure.get().kafkaBootstrapServers();
    var kafka = new PipelineKafka(bootstrap);
    kafka.ensureTopic(Topics.CHECKPOINTS);
    String key = "garbage-" + UUID.randomUUID();
    try (var producer = kafka.producer("inference-test-garbage")) {
      // the channel starts at the topic's end once it is assigned: send until one lands after it
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                producer
                    .send(
                        new ProducerRecord<>(
                            Topics.CHECKPOINTS, key, new byte[] {(byte) 0xff, 0x01, 0x02}))
                    .get();
                assertThat(deadLetters(bootstrap))
                    .anySatisfy(
                        letter -> {
                          assertThat(letter.getKey().toStringUtf8()).isEqualTo(key);
                          assertThat(letter.getService()).isEqualTo("inference-service");
                          assertThat(letter.getSourceTopic()).isEqualTo(Topics.CHECKPOINTS);
                          assertThat(letter.getReason()).contains("not a CheckpointEvent protobuf");
                          assertThat(letter.getValue().toByteArray())
                              .containsExactly((byte) 0xff, 0x01, 0x02);
                        });
              });
    }

    long next = Checkpoints.insert(Checkpoints.untrainedModelZip(11, RESIZE), RESIZE, 0.97);
    Checkpoints.announceUntilServedBy(next, Checkpoints.here());
  }

  private static List<DeadLetter> deadLetters(String bootstrap) throws Exception {
    var letters = new ArrayList<DeadLetter>();
    for (byte[] value : TopicRecords.all(bootstrap, Topics.DEAD_LETTERS)) {
      letters.add(DeadLetter.parseFrom(value));
    }
    return letters;
  }
}
