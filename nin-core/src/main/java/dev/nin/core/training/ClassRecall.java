package dev.nin.core.training;

import dev.nin.contracts.FashionMnist;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Test recall per class and the classes the model never predicts. The seed's last block ends in a
 * ReLU before global pooling, so a class whose channel dies is never predicted again while top-1
 * can still look fine: this is what shows it.
 *
 * @param images test images of each class
 * @param hits images of each class predicted as that class
 * @param predicted images of any class predicted as each class; a tied top is no prediction
 * @param confusion the confusion matrix: {@code confusion[label][c]} images of class {@code label}
 *     predicted as {@code c} (a row sums to less than its images when tops were tied)
 */
public record ClassRecall(long[] images, long[] hits, long[] predicted, long[][] confusion) {

  public ClassRecall {
    if (images.length != hits.length
        || images.length != predicted.length
        || confusion.length != images.length) {
      throw new IllegalArgumentException("images, hits, predicted and confusion need a class each");
    }
    for (long[] row : confusion) {
      if (row.length != images.length) {
        throw new IllegalArgumentException("the confusion matrix must be square");
      }
    }
  }

  static ClassRecall empty(int classes) {
    return new ClassRecall(
        new long[classes], new long[classes], new long[classes], new long[classes][classes]);
  }

  /** Counts one image whose class scores (logits or probabilities) are {@code row}. */
  void add(int label, float[] row) {
    int best = strictArgmax(row);
    images[label]++;
    if (best >= 0) {
      predicted[best]++;
      confusion[label][best]++;
    }
    if (best == label) {
      hits[label]++;
    }
  }

  /** The class with the highest score, or -1 when the top is tied (a collapsed network). */
  public static int strictArgmax(float[] row) {
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

  public int classes() {
    return images.length;
  }

  /** Recall of class {@code c}, NaN when the split has no image of it. */
  public double recall(int c) {
    return images[c] == 0 ? Double.NaN : (double) hits[c] / images[c];
  }

  /** The lowest recall of any class with test images. */
  public double minRecall() {
    double min = 1;
    for (int c = 0; c < images.length; c++) {
      if (images[c] > 0) {
        min = Math.min(min, recall(c));
      }
    }
    return min;
  }

  /** The classes no test image was predicted as, in class order. */
  public List<Integer> neverPredicted() {
    var never = new ArrayList<Integer>();
    for (int c = 0; c < predicted.length; c++) {
      if (predicted[c] == 0) {
        never.add(c);
      }
    }
    return never;
  }

  public static String className(int c) {
    return c < FashionMnist.CLASS_NAMES.size() ? FashionMnist.CLASS_NAMES.get(c) : "class " + c;
  }

  /** {@code recall per class 0:0.888 1:0.958 … | never predicted: 2 (Pullover)}. */
  public String describe() {
    var perClass = new StringJoiner(" ");
    for (int c = 0; c < images.length; c++) {
      perClass.add(String.format(Locale.ROOT, "%d:%.3f", c, recall(c)));
    }
    var never = new StringJoiner(", ");
    neverPredicted().forEach(c -> never.add(c + " (" + className(c) + ")"));
    return "recall per class "
        + perClass
        + (never.length() == 0 ? "" : " | never predicted: " + never);
  }
}
