package dev.nin.tools.chaos;

import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.TrainingRequest;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.tools.bench.Targets;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The poison pill, against the running stack: a run's test topic already holding two
 * records that are not its stream, then a valid training request for that run. Ingest used to retry
 * it forever while every later request waited. Prints {@code poison_run=<id>}; {@code
 * scripts/chaos.sh} then times how long the next real run waits for its data.
 */
public final class PoisonPill {

  private PoisonPill() {}

  public static void main(String[] args) throws Exception {
    var kafka = new PipelineKafka(Targets.fromEnvironment().kafka());
    UUID run = UUID.randomUUID();
    String topic = Topics.testBatches(run);
    kafka.ensureTopic(topic); // a hostile client with the rights to create a topic
    kafka.ensureTopic(Topics.TRAINING_REQUESTS);
    try (var producer = kafka.producer("chaos-poison-pill")) {
      producer.send(new ProducerRecord<>(topic, "garbage-0", new byte[] {1})).get();
      producer.send(new ProducerRecord<>(topic, "garbage-1", new byte[] {2})).get();
      var request =
          TrainingRequest.newBuilder()
              .setRunId(run.toString())
              .setSeed(1)
              .setBatchSize(500)
              .setEpochs(1)
              .setTrainLimit(500)
              .setTestLimit(500) // one test batch: the topic's two records are one too many
              .build();
      producer
          .send(
              new ProducerRecord<>(Topics.TRAINING_REQUESTS, run.toString(), request.toByteArray()))
          .get();
    }
    System.out.println("poison_run=" + run);
  }
}
