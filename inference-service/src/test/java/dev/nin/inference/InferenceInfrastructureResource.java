package dev.nin.inference;

import dev.nin.contracts.Topics;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.MigratedInfrastructureResource;
import dev.nin.testsupport.SharedInfrastructure;
import java.util.Map;

/**
 * The real infrastructure as inference-service meets it beside a trainer that has started: the
 * schema migrated and {@value Topics#CHECKPOINTS} created, both before the application starts.
 *
 * <p>Why the topic: the checkpoint channel seeks to the end of its partition. When the topic does
 * not exist yet, that end is resolved only once the topic appears, and a test's first announcement
 * (which creates the topic) can land before it and be skipped. A deployment covers that gap with
 * the catalogue poll; tests poll once an hour (application.properties) so that a swap can only come
 * from the event, and CI once waited a minute for a model that never loaded.
 */
public class InferenceInfrastructureResource extends MigratedInfrastructureResource {

  @Override
  public Map<String, String> start() {
    Map<String, String> config = super.start();
    new PipelineKafka(SharedInfrastructure.get().kafkaBootstrapServers())
        .ensureTopic(Topics.CHECKPOINTS, Topics.CHECKPOINTS_PARTITIONS);
    return config;
  }
}
