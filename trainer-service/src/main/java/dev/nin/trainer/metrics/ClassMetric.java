package dev.nin.trainer.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.nin.core.training.ClassRecall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One class of one epoch's test evaluation ({@code epoch_class_metric}).
 *
 * @param predicted test images of any class predicted as this one: 0 means the class is dead
 * @param predictedAs this class's row of the confusion matrix: {@code predictedAs[k]} of its test
 *     images were predicted as class {@code k}; null for evaluations recorded before it was kept
 */
public record ClassMetric(
    int epoch,
    int classIndex,
    String className,
    long images,
    long hits,
    long predicted,
    List<Long> predictedAs) {

  /** Null when the test split held no image of the class. */
  @JsonProperty("recall")
  public Double recall() {
    return images == 0 ? null : (double) hits / images;
  }

  @JsonProperty("neverPredicted")
  public boolean neverPredicted() {
    return predicted == 0;
  }

  public static List<ClassMetric> of(int epoch, ClassRecall recall) {
    var rows = new ArrayList<ClassMetric>();
    for (int c = 0; c < recall.classes(); c++) {
      rows.add(
          new ClassMetric(
              epoch,
              c,
              ClassRecall.className(c),
              recall.images()[c],
              recall.hits()[c],
              recall.predicted()[c],
              Arrays.stream(recall.confusion()[c]).boxed().toList()));
    }
    return rows;
  }
}
