package dev.nin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files users deploy: Prometheus' own promtool checks the alert rules and runs their
 * unit tests (a rule that fires on a healthy series, or stays silent on a stuck one, fails here),
 * and the Grafana dashboard is well formed and queries only the product's metrics. That those
 * metrics exist in a real scrape is PipelineEndToEndIT's to show.
 */
class MonitoringFilesTest {

  static final Path MONITORING = Manifests.ROOT.resolve("monitoring");
  private static final Pattern METRIC = Pattern.compile("\\bnin_[a-z0-9_]+");

  @Test
  void promtoolAcceptsTheAlertRulesAndTheirUnitTestsPass() throws Exception {
    Path rules = MONITORING.resolve("prometheus");
    var check = Command.run(rules, List.of("promtool", "check", "rules", "alerts.yml"));
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 5 rules found");
    var tests = Command.run(rules, List.of("promtool", "test", "rules", "alerts-test.yml"));
    assertThat(tests.exitCode()).as(tests.output()).isZero();
    assertThat(tests.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTest() throws Exception {
    String rules = Files.readString(MONITORING.resolve("prometheus/alerts.yml"));
    String tests = Files.readString(MONITORING.resolve("prometheus/alerts-test.yml"));
    var alerts = Pattern.compile("- alert: (\\w+)").matcher(rules).results().map(m -> m.group(1));
    assertThat(alerts.toList())
        .hasSize(5)
        .allSatisfy(alert -> assertThat(tests).contains("alertname: " + alert));
  }

  @Test
  void theDashboardIsWellFormedAndQueriesTheProductsMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(dashboardFile().toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("nin-pipeline");
    assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(10);
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(METRIC.matcher(target.path("expr").asText()).find())
            .as("panel '%s' queries a metric of the product", panel.path("title").asText())
            .isTrue();
      }
    }
    assertThat(dashboardMetrics())
        .contains("nin_trainer_run_step", "nin_inference_requests_seconds_count");
  }

  @Test
  void theMonitoringOverlayScrapesEveryServiceAndCarriesTheSameRulesAsAlertsYml() throws Exception {
    Manifests.installValidator();
    Path rendered = Manifests.render("monitoring");
    var validation = Manifests.validate("--manifests", rendered.toString());
    assertThat(validation.exitCode()).as(validation.output()).isZero();
    assertThat(validation.output())
        .contains("ok PodMonitor/nin-services", "ok PrometheusRule/nin-alerts");

    var documents = Manifests.documents(rendered);
    var podMonitor = Manifests.find(documents, "PodMonitor", "nin-services").path("spec");
    assertThat(podMonitor.path("podMetricsEndpoints").get(0).path("path").asText())
        .isEqualTo("/q/metrics");
    var selected = new java.util.ArrayList<String>();
    podMonitor
        .path("selector")
        .path("matchExpressions")
        .get(0)
        .path("values")
        .forEach(v -> selected.add(v.asText()));
    assertThat(selected)
        .containsExactlyInAnyOrder("trainer-service", "ingest-service", "inference-service");
    for (String service : selected) {
      var ports =
          Manifests.find(documents, "Deployment", service)
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .get(0)
              .path("ports");
      assertThat(ports.findValuesAsText("name")).as(service + "'s ports").contains("http");
    }

    var yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    JsonNode alerts = yaml.readTree(MONITORING.resolve("prometheus/alerts.yml").toFile());
    assertThat(
            Manifests.find(documents, "PrometheusRule", "nin-alerts").path("spec").path("groups"))
        .as("k8s/overlays/monitoring/prometheusrule.yaml holds alerts.yml's groups")
        .isEqualTo(alerts.path("groups"));
  }

  static Path dashboardFile() {
    return MONITORING.resolve("grafana/nin-pipeline.json");
  }

  /** Every metric name the dashboard's queries use. */
  static Set<String> dashboardMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(dashboardFile().toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        METRIC.matcher(target.path("expr").asText()).results().forEach(m -> names.add(m.group()));
      }
    }
    return names;
  }
}
