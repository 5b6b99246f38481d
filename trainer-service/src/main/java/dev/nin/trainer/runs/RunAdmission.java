package dev.nin.trainer.runs;

import dev.nin.contracts.FashionMnist;
import dev.nin.core.model.ModelSummary;
import dev.nin.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Admission control: a run whose estimated training memory or Kafka data exceed the trainer's
 * budgets is refused before it is queued, so nothing of it is ever published. Without it, {@code
 * {"resize":512,"epochs":1000,"batchSize":4096}} was accepted although its own summary estimated
 * 563 GB of training memory, and ingest would have published 1000 epochs (tens of GB) up front.
 */
@ApplicationScoped
public class RunAdmission {

  /** The official test split's size, when a run takes the whole split. */
  static final int TEST_IMAGES = 10_000;

  /** Bytes an image takes in a batch record: its pixels and its label. */
  static final int IMAGE_BYTES = FashionMnist.PIXELS + 1;

  private final TrainerConfig.Budget budget;

  RunAdmission(TrainerConfig config) {
    this.budget = config.budget();
  }

  /** Throws {@link OverBudgetException} naming the first budget the run exceeds. */
  public void admit(RunParameters p) {
    double memoryMb = ModelSummary.of(p.model()).trainingMegabytes(p.batchSize());
    if (memoryMb > budget.memoryMb()) {
      throw new OverBudgetException(
          "memory",
          String.format(
              Locale.ROOT,
              "the run needs an estimated %.0f MB of training memory (resize %d, batch %d), the"
                  + " trainer's budget is %d MB (nin.trainer.budget.memory-mb): over by %.0f MB",
              memoryMb,
              p.resize(),
              p.batchSize(),
              budget.memoryMb(),
              memoryMb - budget.memoryMb()));
    }
    double kafkaMb = kafkaMegabytes(p);
    if (kafkaMb > budget.kafkaMb()) {
      throw new OverBudgetException(
          "kafka",
          String.format(
              Locale.ROOT,
              "the run puts about %.0f MB of batches on Kafka (%d epochs of %d images and %d test"
                  + " images), the budget is %d MB (nin.trainer.budget.kafka-mb): over by %.0f MB",
              kafkaMb,
              p.epochs(),
              p.trainImages(),
              testImages(p),
              budget.kafkaMb(),
              kafkaMb - budget.kafkaMb()));
    }
  }

  static double kafkaMegabytes(RunParameters p) {
    long images = (long) p.trainImages() * p.epochs() + testImages(p);
    return images * (double) IMAGE_BYTES / (1024 * 1024);
  }

  private static int testImages(RunParameters p) {
    return p.testLimit() == null ? TEST_IMAGES : p.testLimit();
  }
}
