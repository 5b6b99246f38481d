package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.trainer.runs.RunSubmission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The run fields a sweep varies and the values each may take: a list of values to choose from, or
 * for a random search a range ({@code {"min": 1e-4, "max": 1e-2, "scale": "log"}}, {@code
 * "integer": true} to round). A grid walks every combination, the last field fastest; a random
 * search draws each trial's values from its seed, so the same request is the same sweep.
 */
public final class SearchSpace {

  static final int MOST_FIELDS = 16;
  static final int MOST_CHOICES = 64;

  /** The fields of {@code POST /api/runs} a sweep may vary; {@code name} is the sweep's. */
  static final Set<String> RUN_FIELDS =
      Arrays.stream(RunSubmission.class.getRecordComponents())
          .map(c -> c.getName())
          .filter(name -> !name.equals("name"))
          .collect(Collectors.toUnmodifiableSet());

  private sealed interface Values permits Choices, Range {}

  private record Choices(List<JsonNode> values) implements Values {}

  private record Range(double min, double max, boolean log, boolean integer) implements Values {}

  private record Dimension(String field, Values values) {}

  private final List<Dimension> dimensions;

  private SearchSpace(List<Dimension> dimensions) {
    this.dimensions = dimensions;
  }

  /** Reads a {@code space} object; the exception names the first entry that is not one. */
  public static SearchSpace parse(JsonNode space) {
    if (space == null || !space.isObject() || space.isEmpty()) {
      throw new InvalidFieldException(
          "space",
          "space must be an object mapping run fields to values, e.g. {\"dropout\": [0.3, 0.5]}");
    }
    if (space.size() > MOST_FIELDS) {
      throw new InvalidFieldException(
          "space", "space may vary at most " + MOST_FIELDS + " fields, had " + space.size());
    }
    var dimensions = new ArrayList<Dimension>();
    var fields = space.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      String field = entry.getKey();
      String where = "space." + field;
      if (!RUN_FIELDS.contains(field)) {
        throw new InvalidFieldException(
            where,
            "'"
                + field
                + "' is not a run field a sweep can vary ("
                + String.join(", ", sorted())
                + ")");
      }
      dimensions.add(new Dimension(field, values(where, entry.getValue())));
    }
    return new SearchSpace(List.copyOf(dimensions));
  }

  private static Values values(String where, JsonNode node) {
    if (node.isArray()) {
      if (node.isEmpty() || node.size() > MOST_CHOICES) {
        throw new InvalidFieldException(
            where, where + " must list 1 to " + MOST_CHOICES + " values, had " + node.size());
      }
      var values = new ArrayList<JsonNode>();
      for (JsonNode value : node) {
        if (!value.isValueNode() || value.isNull()) {
          throw new InvalidFieldException(
              where, where + " must list plain values (numbers, strings, booleans)");
        }
        values.add(value);
      }
      return new Choices(List.copyOf(values));
    }
    if (node.isObject()) {
      JsonNode min = node.get("min");
      JsonNode max = node.get("max");
      String scale = node.path("scale").asText("linear");
      boolean integer = node.path("integer").asBoolean(false);
      var allowed = Set.of("min", "max", "scale", "integer");
      node.fieldNames()
          .forEachRemaining(
              key -> {
                if (!allowed.contains(key)) {
                  throw new InvalidFieldException(
                      where,
                      where + " has an unknown key '" + key + "' (min, max, scale, integer)");
                }
              });
      if (min == null || max == null || !min.isNumber() || !max.isNumber()) {
        throw new InvalidFieldException(where, where + " needs numbers min and max");
      }
      double lo = min.asDouble();
      double hi = max.asDouble();
      if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
        throw new InvalidFieldException(where, where + " needs min ≤ max, had " + lo + ", " + hi);
      }
      if (!scale.equals("linear") && !scale.equals("log")) {
        throw new InvalidFieldException(
            where, where + ".scale must be linear or log, was " + scale);
      }
      if (scale.equals("log") && lo <= 0) {
        throw new InvalidFieldException(where, where + " on a log scale needs min > 0, was " + lo);
      }
      return new Range(lo, hi, scale.equals("log"), integer);
    }
    throw new InvalidFieldException(
        where, where + " must be a list of values or a range {\"min\": …, \"max\": …}");
  }

  /** The number of points of the grid; ranges have none. */
  public long gridSize() {
    long size = 1;
    for (var d : dimensions) {
      if (!(d.values() instanceof Choices choices)) {
        throw new InvalidFieldException(
            "space." + d.field(),
            "a grid search needs a list of values for each field; a range needs \"search\":"
                + " \"random\"");
      }
      size = Math.multiplyExact(size, choices.values().size());
    }
    return size;
  }

  /** The first {@code trials} points of the grid, the last field varying fastest. */
  public List<ObjectNode> grid(int trials) {
    long size = gridSize();
    var points = new ArrayList<ObjectNode>();
    for (long index = 0; index < Math.min(size, trials); index++) {
      var point = JsonNodeFactory.instance.objectNode();
      long rest = index;
      for (int i = dimensions.size() - 1; i >= 0; i--) {
        var choices = ((Choices) dimensions.get(i).values()).values();
        point.set(dimensions.get(i).field(), choices.get((int) (rest % choices.size())));
        rest /= choices.size();
      }
      points.add(reordered(point));
    }
    return points;
  }

  /** {@code trials} points drawn from the space by a generator seeded with {@code seed}. */
  public List<ObjectNode> random(int trials, long seed) {
    var random = new SplittableRandom(seed);
    var points = new ArrayList<ObjectNode>();
    for (int t = 0; t < trials; t++) {
      var point = JsonNodeFactory.instance.objectNode();
      for (var d : dimensions) {
        if (d.values() instanceof Choices c) {
          point.set(d.field(), c.values().get(random.nextInt(c.values().size())));
        } else {
          var r = (Range) d.values();
          double u = random.nextDouble();
          double value =
              r.log()
                  ? Math.exp(Math.log(r.min()) + u * (Math.log(r.max()) - Math.log(r.min())))
                  : r.min() + u * (r.max() - r.min());
          if (r.integer()) {
            point.put(d.field(), Math.round(value));
          } else {
            point.put(d.field(), value);
          }
        }
      }
      points.add(point);
    }
    return points;
  }

  /** The fields in the order the space declared them (the grid filled them last first). */
  private ObjectNode reordered(ObjectNode point) {
    var ordered = JsonNodeFactory.instance.objectNode();
    dimensions.forEach(d -> ordered.set(d.field(), point.get(d.field())));
    return ordered;
  }

  private static List<String> sorted() {
    return RUN_FIELDS.stream().sorted().toList();
  }
}
