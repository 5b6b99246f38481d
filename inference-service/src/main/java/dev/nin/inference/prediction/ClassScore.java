package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** One class of a prediction: its label, its Fashion-MNIST name, and its probability. */
public record ClassScore(int label, String name, float probability) {

  /** The {@code k} most probable classes, best first (ties by lower label). */
  public static List<ClassScore> top(float[] probabilities, int k) {
    List<ClassScore> best = new ArrayList<>(k);
    IntStream.range(0, probabilities.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparing(i -> i))
        .limit(k)
        .forEach(i -> best.add(new ClassScore(i, FashionMnist.className(i), probabilities[i])));
    return best;
  }
}
