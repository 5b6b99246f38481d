package dev.nin.trainer.training;

import dev.nin.core.tensorboard.TensorBoardWriter;
import dev.nin.trainer.metrics.MetricRepository.Metric;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A run's metrics as TensorBoard scalars, beside the database rows: step metrics as {@code
 * train/loss}, {@code train/top1}, {@code train/top5}, {@code train/images_per_s}; epoch metrics as
 * {@code epoch_train/…} and {@code epoch_test/…}; the x axis is the global step. A failure here is
 * logged once and turns the log off: TensorBoard never fails a run.
 */
final class TensorBoardLog implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TensorBoardLog.class);

  private final UUID runId;
  private TensorBoardWriter writer;

  private TensorBoardLog(UUID runId, TensorBoardWriter writer) {
    this.runId = runId;
    this.writer = writer;
  }

  static TensorBoardLog open(Optional<String> folder, UUID runId) {
    if (folder.isEmpty()) {
      return new TensorBoardLog(runId, null);
    }
    Path runFolder = Path.of(folder.get()).resolve(runId.toString());
    try {
      return new TensorBoardLog(runId, TensorBoardWriter.open(runFolder));
    } catch (RuntimeException e) {
      LOG.warnf("run %s writes no TensorBoard events (%s): %s", runId, runFolder, e.getMessage());
      return new TensorBoardLog(runId, null);
    }
  }

  void record(Metric metric) {
    if (writer == null) {
      return;
    }
    String prefix = metric.scope().equals("step") ? metric.split() : "epoch_" + metric.split();
    try {
      scalar(prefix + "/loss", metric.step(), metric.loss());
      scalar(prefix + "/top1", metric.step(), metric.top1());
      scalar(prefix + "/top5", metric.step(), metric.top5());
      scalar(prefix + "/images_per_s", metric.step(), metric.imagesPerSecond());
      if (metric.scope().equals("epoch")) {
        writer.flush();
      }
    } catch (RuntimeException e) {
      LOG.warnf("run %s stops writing TensorBoard events: %s", runId, e.getMessage());
      closeQuietly();
    }
  }

  private void scalar(String tag, long step, Double value) {
    if (value != null) {
      writer.scalar(tag, step, value);
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (writer != null) {
      try {
        writer.close();
      } catch (RuntimeException e) {
        LOG.debugf("closing the TensorBoard writer of run %s: %s", runId, e.getMessage());
      }
      writer = null;
    }
  }
}
