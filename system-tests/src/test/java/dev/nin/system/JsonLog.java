package dev.nin.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A service's output with JSON logging on, read line by line. Every line the JVM's logging wrote
 * must be one JSON object; the other lines are TensorFlow's native C++ logging, which writes to
 * stderr on its own (and is told apart by its timestamp: microseconds after a dot, where Quarkus'
 * text format has milliseconds after a comma).
 */
record JsonLog(String raw, List<JsonNode> lines) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern QUARKUS_TEXT_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ");

  static JsonLog parse(String raw) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : raw.split("\n")) {
      if (QUARKUS_TEXT_LINE.matcher(line).find()) {
        throw new AssertionError("a Java log line in text, not JSON: " + line);
      }
      if (line.startsWith("{")) {
        try {
          lines.add(JSON.readTree(line));
        } catch (java.io.IOException e) {
          throw new AssertionError("a log line that is not one JSON object: " + line, e);
        }
      }
    }
    return new JsonLog(raw, lines);
  }
}
