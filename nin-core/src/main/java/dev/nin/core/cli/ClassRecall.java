package dev.nin.core.cli;

import dev.nin.contracts.FashionMnist;
import dev.nin.core.training.Batch;
import dev.nin.core.training.NinTrainer;
import java.util.Iterator;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Test recall per class and the classes the model never predicts. The seed's last block ends in a
 * ReLU before global pooling, so a class whose channel dies is never predicted again: this is the
 * line that shows it.
 */
record ClassRecall(long[] hits, long[] images, long[] predicted) {

  static ClassRecall measure(NinTrainer trainer, Iterator<Batch> batches, int classes) {
    var recall = new ClassRecall(new long[classes], new long[classes], new long[classes]);
    while (batches.hasNext()) {
      Batch batch = batches.next();
      float[][] probs = trainer.predict(batch);
      for (int i = 0; i < probs.length; i++) {
        int label = batch.labels()[i] & 0xFF;
        int best = strictArgmax(probs[i]);
        recall.images[label]++;
        if (best >= 0) {
          recall.predicted[best]++;
        }
        if (best == label) {
          recall.hits[label]++;
        }
      }
    }
    return recall;
  }

  /** The class with the highest probability, or -1 when the top is tied (no prediction). */
  private static int strictArgmax(float[] row) {
    int best = 0;
    boolean tied = false;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
        tied = false;
      } else if (row[c] == row[best]) {
        tied = true;
      }
    }
    return tied ? -1 : best;
  }

  String describe() {
    var perClass = new StringJoiner(" ");
    var never = new StringJoiner(", ");
    for (int c = 0; c < hits.length; c++) {
      perClass.add(String.format(Locale.ROOT, "%d:%.3f", c, (double) hits[c] / images[c]));
      if (predicted[c] == 0) {
        never.add(c + " (" + className(c) + ")");
      }
    }
    return "recall per class "
        + perClass
        + (never.length() == 0 ? "" : " | never predicted: " + never);
  }

  private static String className(int c) {
    return c < FashionMnist.CLASS_NAMES.size() ? FashionMnist.CLASS_NAMES.get(c) : "class " + c;
  }
}
