package dev.nin.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nin.tools.bench.Targets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The run API as {@code scripts/chaos.sh} drives it between its faults: post a run, wait for a step
 * or a status, read a field. It moves the product; it judges nothing (the verdicts are {@code
 * system-tests}' {@code ChaosOutcomesIT}, read from the database afterwards).
 *
 * <pre>
 *   RunControl post NAME BASE_FIELDS [EXTRA_FIELDS]   prints the new run's id; EXTRA's fields
 *                                                     replace BASE's ("resize": 96, "epochs": 2)
 *   RunControl await-step ID STEP [TIMEOUT_S]         until the run reached STEP (default 300 s)
 *   RunControl await-status ID STATUS TIMEOUT_S       until STATUS; exit 1 on FAILED, CANCELLED
 *                                                     or the timeout, with the run's error
 *   RunControl field ID NAME                          prints one field of GET /api/runs/ID
 *   RunControl first-step NAME BASE_FIELDS [EXTRA]    posts, waits for step 1, then for the run's
 *                                                     end; prints "ID SECONDS" from post to step 1
 * </pre>
 */
public final class RunControl {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tight enough that a kill aimed at a step lands within a step or two of it. */
  private static final Duration POLL = Duration.ofMillis(100);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Targets targets = Targets.fromEnvironment();

  private RunControl() {}

  public static void main(String[] args) throws Exception {
    var control = new RunControl();
    try {
      switch (args[0]) {
        case "post" -> System.out.println(control.post(args[1], args[2], optional(args, 3)));
        case "await-step" ->
            control.awaitStep(args[1], Long.parseLong(args[2]), seconds(optional(args, 3), 300));
        case "await-status" -> control.awaitStatus(args[1], args[2], seconds(args[3], 0));
        case "field" -> {
          JsonNode value = control.run(args[1]).get(args[2]);
          System.out.println(value == null || value.isNull() ? "" : value.asText());
        }
        case "first-step" -> {
          long t0 = System.nanoTime();
          String id = control.post(args[1], args[2], optional(args, 3));
          control.awaitStep(id, 1, Duration.ofSeconds(300));
          double seconds = (System.nanoTime() - t0) / 1e9;
          control.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(300));
          System.out.printf(Locale.ROOT, "%s %.1f%n", id, seconds);
        }
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (RunControlException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private String post(String name, String baseFields, String extraFields) throws Exception {
    var body = JSON.createObjectNode().put("name", name);
    body.setAll((ObjectNode) JSON.readTree("{" + baseFields + "}"));
    if (!extraFields.isBlank()) {
      body.setAll((ObjectNode) JSON.readTree("{" + extraFields + "}"));
    }
    var request =
        HttpRequest.newBuilder(URI.create(targets.trainer() + "/api/runs"))
            .header("Authorization", "Bearer " + targets.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new RunControlException(
          "POST /api/runs answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).get("id").asText();
  }

  /** Waits until the run reached {@code step}; returns the step it was at then. */
  private long awaitStep(String id, long step, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode run = runOrNull(id);
      if (run != null && run.path("step").asLong() >= step) {
        return run.path("step").asLong();
      }
      if (System.nanoTime() > deadline) {
        throw new RunControlException("run " + id + " did not reach step " + step + " in time");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void awaitStatus(String id, String status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "unreachable";
    while (true) {
      JsonNode run = runOrNull(id);
      if (run != null) {
        last = run.path("status").asText();
        if (last.equals(status)) {
          return;
        }
        if (last.equals("FAILED") || last.equals("CANCELLED")) {
          throw new RunControlException(
              "run " + id + " ended " + last + ": " + run.path("error").asText());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new RunControlException(
            "run " + id + " still " + last + " after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(POLL.multipliedBy(10).toMillis());
    }
  }

  private JsonNode run(String id) throws Exception {
    JsonNode run = runOrNull(id);
    if (run == null) {
      throw new RunControlException("GET /api/runs/" + id + " failed");
    }
    return run;
  }

  /** The run, or null while the trainer is down (a chaos stage restarts it on purpose). */
  private JsonNode runOrNull(String id) throws InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(targets.trainer() + "/api/runs/" + id))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String optional(String[] args, int index) {
    return args.length > index ? args[index] : "";
  }

  private static Duration seconds(String value, long fallback) {
    return Duration.ofSeconds(value.isBlank() ? fallback : Long.parseLong(value));
  }

  /** An outcome the caller should hear about as one line on stderr, not a stack trace. */
  private static final class RunControlException extends Exception {
    RunControlException(String message) {
      super(message);
    }
  }
}
