package dev.nin.ingest.dataset;

import dev.nin.dataset.DatasetException;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import dev.nin.dataset.LabeledImages;
import dev.nin.ingest.config.IngestConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Both splits of the official data set, read and validated once at start-up (magic numbers,
 * dimensions, counts, labels, SHA-256). A missing, truncated or corrupt file stops the service with
 * an error that names the file, before anything is published.
 */
@Startup
@ApplicationScoped
public class FashionMnistDataset {

  private static final Logger LOG = Logger.getLogger(FashionMnistDataset.class);

  private final IngestConfig config;
  private final LabeledImages train;
  private final LabeledImages test;

  FashionMnistDataset(IngestConfig config) throws DatasetException {
    this.config = config;
    long start = System.nanoTime();
    this.train = FashionMnistFiles.read(config.dataset().dir(), Split.TRAIN);
    this.test = FashionMnistFiles.read(config.dataset().dir(), Split.TEST);
    LOG.infof(
        "Fashion-MNIST verified in %s: %d train, %d test images (%d ms)",
        config.dataset().dir(),
        train.count(),
        test.count(),
        (System.nanoTime() - start) / 1_000_000);
  }

  public LabeledImages split(Split split) {
    return split == Split.TRAIN ? train : test;
  }

  public java.nio.file.Path dir() {
    return config.dataset().dir();
  }
}
