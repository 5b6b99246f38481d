package dev.nin.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A service's {@code /q/metrics} as Prometheus reads it, and the metrics the dashboard queries. */
final class Scrape {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern METRIC = Pattern.compile("\\bnin_[a-z0-9_]+");
  static final Path DASHBOARD = Path.of("..", "monitoring", "grafana", "nin-pipeline.json");

  private Scrape() {}

  /** One scrape of a service, as Prometheus' text format. */
  static String of(String baseUrl) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The names of the series in one scrape (without labels). */
  static Set<String> metricNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        // the name ends at its labels or at the value, whichever comes first: a line may end
        // with an exemplar ("… 3.0 # {trace_id=…} …") whose braces are not the series' labels
        int end = line.length();
        for (char c : new char[] {'{', ' '}) {
          int at = line.indexOf(c);
          if (at >= 0) {
            end = Math.min(end, at);
          }
        }
        names.add(line.substring(0, end));
      }
    }
    return names;
  }

  /** Every product metric the dashboard's queries name. */
  static Set<String> dashboardMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        METRIC.matcher(target.path("expr").asText()).results().forEach(m -> names.add(m.group()));
      }
    }
    return names;
  }
}
