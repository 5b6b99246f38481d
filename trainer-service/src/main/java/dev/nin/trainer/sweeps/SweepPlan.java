package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nin.core.training.Precision;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.trainer.runs.RunParameters;
import dev.nin.trainer.runs.RunSubmission;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep request checked from end to end before anything is queued: every trial's run is validated
 * as {@code POST /api/runs} would validate it, so a sweep is accepted whole or refused with the
 * first trial and field that is wrong.
 */
public record SweepPlan(
    String name,
    ObjectNode base,
    String search,
    long seed,
    int parallelism,
    StopRule rule,
    List<Integer> rungs,
    int eta,
    List<Trial> trials) {

  static final int MOST_TRIALS = 200;
  static final int MOST_PARALLELISM = 64;
  static final int MOST_RUNGS = 10;
  static final int DEFAULT_PARALLELISM = 2;
  static final int DEFAULT_ETA = 3;

  /**
   * @param number from 1, in the order the trials are queued
   * @param values the run fields this trial sets over the base run
   */
  public record Trial(int number, ObjectNode values, RunParameters parameters) {}

  public static SweepPlan from(
      SweepSubmission s, ObjectMapper json, int maxEpochs, Precision defaultPrecision) {
    if (s == null) {
      throw new InvalidFieldException("space", "a sweep needs a body with a search space");
    }
    String name = s.name() == null ? "sweep" : s.name();
    if (name.length() > 150) {
      throw new InvalidFieldException("name", "name must be at most 150 characters");
    }
    ObjectNode base;
    if (s.base() == null || s.base().isNull()) {
      base = JsonNodeFactory.instance.objectNode();
    } else if (s.base().isObject()) {
      base = ((ObjectNode) s.base()).deepCopy();
    } else {
      throw new InvalidFieldException("base", "base must be a run object, as POST /api/runs takes");
    }
    var space = SearchSpace.parse(s.space());
    String search = s.search() == null ? "grid" : s.search();
    long seed = s.seed() == null ? 0 : s.seed();
    if (seed < 0) {
      throw new InvalidFieldException("seed", "seed must be at least 0, was " + seed);
    }
    if (s.trials() != null && (s.trials() < 1 || s.trials() > MOST_TRIALS)) {
      throw new InvalidFieldException(
          "trials", "trials must be in [1, " + MOST_TRIALS + "], was " + s.trials());
    }
    List<ObjectNode> points;
    switch (search) {
      case "grid" -> {
        long size = space.gridSize();
        if (s.trials() == null && size > MOST_TRIALS) {
          throw new InvalidFieldException(
              "space",
              "the grid has "
                  + size
                  + " points, more than "
                  + MOST_TRIALS
                  + " trials: set trials to take its first ones");
        }
        points = space.grid(s.trials() == null ? MOST_TRIALS : s.trials());
      }
      case "random" -> {
        if (s.trials() == null) {
          throw new InvalidFieldException("trials", "a random search needs a number of trials");
        }
        points = space.random(s.trials(), seed);
      }
      default ->
          throw new InvalidFieldException(
              "search", "search must be grid or random, was '" + search + "'");
    }
    int parallelism = s.parallelism() == null ? DEFAULT_PARALLELISM : s.parallelism();
    if (parallelism < 1 || parallelism > MOST_PARALLELISM) {
      throw new InvalidFieldException(
          "parallelism",
          "parallelism must be in [1, " + MOST_PARALLELISM + "], was " + parallelism);
    }
    var stopping = s.earlyStopping();
    StopRule rule;
    try {
      rule =
          stopping == null || stopping.rule() == null
              ? StopRule.NONE
              : StopRule.parse(stopping.rule());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("earlyStopping.rule", e.getMessage());
    }
    List<Integer> rungs =
        stopping == null || stopping.rungs() == null ? List.of() : List.copyOf(stopping.rungs());
    int eta = stopping == null || stopping.eta() == null ? DEFAULT_ETA : stopping.eta();
    checkRungs(rule, rungs, eta, maxEpochs);

    var trials = new ArrayList<Trial>();
    for (var values : points) {
      int number = trials.size() + 1;
      var run = base.deepCopy();
      run.setAll(values);
      run.put("name", name + " · trial " + number);
      trials.add(
          new Trial(number, values, validated(run, number, json, maxEpochs, defaultPrecision)));
    }
    return new SweepPlan(
        name, base, search, seed, parallelism, rule, rungs, eta, List.copyOf(trials));
  }

  private static void checkRungs(StopRule rule, List<Integer> rungs, int eta, int maxEpochs) {
    if (rule != StopRule.NONE && rungs.isEmpty()) {
      throw new InvalidFieldException(
          "earlyStopping.rungs",
          "the "
              + rule.id()
              + " rule needs rungs: the numbers of epochs at which trials are judged");
    }
    if (rungs.size() > MOST_RUNGS) {
      throw new InvalidFieldException(
          "earlyStopping.rungs", "at most " + MOST_RUNGS + " rungs, had " + rungs.size());
    }
    int previous = 0;
    for (Integer rung : rungs) {
      if (rung == null || rung <= previous || rung > maxEpochs) {
        throw new InvalidFieldException(
            "earlyStopping.rungs",
            "rungs must be ascending epoch counts in [1, " + maxEpochs + "], had " + rungs);
      }
      previous = rung;
    }
    if (eta < 2 || eta > 10) {
      throw new InvalidFieldException("earlyStopping.eta", "eta must be in [2, 10], was " + eta);
    }
  }

  /** The trial's run as POST /api/runs would take it; the error names the trial and its field. */
  private static RunParameters validated(
      ObjectNode run, int number, ObjectMapper json, int maxEpochs, Precision defaultPrecision) {
    RunSubmission submission;
    try {
      submission = json.treeToValue(run, RunSubmission.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidFieldException(
          "base." + e.getPropertyName(), "'" + e.getPropertyName() + "' is not a run field");
    } catch (JsonProcessingException e) {
      String field = e.getOriginalMessage();
      throw new InvalidFieldException(
          "trial " + number, "trial " + number + " is not a valid run: " + field);
    }
    try {
      return RunParameters.from(submission, maxEpochs, defaultPrecision);
    } catch (InvalidFieldException e) {
      throw new InvalidFieldException(e.field(), "trial " + number + ": " + e.getMessage());
    }
  }
}
