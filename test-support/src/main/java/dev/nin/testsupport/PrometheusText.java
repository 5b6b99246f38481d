package dev.nin.testsupport;

import java.util.OptionalDouble;

/**
 * Reads a value out of a Prometheus text scrape ({@code /q/metrics}). A sample line is {@code name
 * value}, {@code name{labels} value}, and may end with an exemplar ({@code # {trace_id=…} value
 * timestamp}, which Micrometer adds while tracing is on): the value is the token right after the
 * series, not the line's last one.
 */
public final class PrometheusText {

  private PrometheusText() {}

  /**
   * The value of the first line of {@code series}: a name alone (any labels) or a name with its
   * labels exactly as Prometheus prints them; empty when there is no such line.
   */
  public static OptionalDouble value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      int end;
      if (line.startsWith(series + " ")) {
        end = series.length();
      } else if (line.startsWith(series + "{")) {
        end = line.indexOf('}', series.length()) + 1;
      } else {
        continue;
      }
      String rest = line.substring(end).trim();
      int space = rest.indexOf(' ');
      return OptionalDouble.of(Double.parseDouble(space < 0 ? rest : rest.substring(0, space)));
    }
    return OptionalDouble.empty();
  }

  /**
   * The sum of the values of every line of the metric {@code name} whose labels contain {@code
   * labelText} (e.g. a run id inside a client id); 0 when there is none.
   */
  public static double sum(String scrape, String name, String labelText) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{")) {
        int end = line.indexOf('}', name.length()) + 1;
        if (line.substring(name.length(), end).contains(labelText)) {
          sum += value(line, line.substring(0, end)).orElse(0);
        }
      }
    }
    return sum;
  }
}
