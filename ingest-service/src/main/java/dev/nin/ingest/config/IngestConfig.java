package dev.nin.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** ingest-service settings ({@code nin.*} in application.properties or NIN_* variables). */
@ConfigMapping(prefix = "nin")
public interface IngestConfig {

  Dataset dataset();

  RunTopics runTopics();

  interface Dataset {
    /** Folder of the official IDX files, plain or gzipped. */
    @WithDefault("/usr/share/datasets/fashion-mnist")
    Path dir();
  }

  interface RunTopics {
    /** How long a run's batches stay replayable; then Kafka deletes them. */
    @WithDefault("P7D")
    Duration retention();

    @WithDefault("1")
    short replicationFactor();
  }
}
