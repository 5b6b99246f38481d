package dev.nin.system.chaos;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code scripts/chaos.sh} did and saw while it drove the faults, one {@code key=value} line
 * each (run ids, the kills that landed, the status codes seen during the PostgreSQL outage, the
 * fault tools' own outputs), in the file named by {@code -Dnin.chaos.facts}. The census of each
 * run's topic lies beside it ({@code census-RUN.txt}).
 */
final class ChaosFacts {

  private final Properties facts = new Properties();
  private final Path directory;

  private ChaosFacts(Path file) throws IOException {
    this.directory = file.toAbsolutePath().getParent();
    try (Reader in = Files.newBufferedReader(file)) {
      facts.load(in);
    }
  }

  /** The facts of the chaos run named by {@code -Dnin.chaos.facts}. */
  static ChaosFacts fromSystemProperty() throws IOException {
    String file = System.getProperty("nin.chaos.facts", "");
    if (file.isBlank()) {
      throw new IllegalStateException(
          "no -Dnin.chaos.facts: these verdicts judge a chaos run (run scripts/chaos.sh)");
    }
    return new ChaosFacts(Path.of(file));
  }

  /** The fact, or a failed check saying the stage did not get as far as recording it. */
  String require(String key) {
    String value = facts.getProperty(key);
    if (value == null || value.isBlank()) {
      fail("chaos.sh recorded no " + key + ": its stage did not get that far");
    }
    return value;
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(facts.getProperty(key)).filter(v -> !v.isBlank());
  }

  int requireInt(String key) {
    return Integer.parseInt(require(key));
  }

  double requireDouble(String key) {
    return Double.parseDouble(require(key));
  }

  Path directory() {
    return directory;
  }
}
