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
    /**
     * How long a run's batches stay replayable if nobody says the run ended; then Kafka deletes
     * them.
     */
    @WithDefault("P7D")
    Duration retention();

    /**
     * Training epochs published beyond the one the trainer is on: enough that the trainer never
     * waits (an epoch publishes in about a second, and trains in minutes), few enough that Kafka
     * holds a few epochs of a run instead of all of them.
     */
    @WithDefault("1")
    int epochsAhead();

    /** Delete a run's topics once the trainer says the run ended (off: keep them to retention). */
    @WithDefault("true")
    boolean deleteWhenEnded();

    @WithDefault("1")
    short replicationFactor();
  }
}
