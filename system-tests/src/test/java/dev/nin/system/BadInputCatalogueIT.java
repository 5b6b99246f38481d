package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.client.chaos.BadInputCatalogue;
import dev.nin.client.chaos.Targets;
import dev.nin.testsupport.ServiceProcess;
import dev.nin.testsupport.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bad-input catalogue against the three packaged services, started as users start them, on real
 * Kafka and PostgreSQL. Every case must get its expected outcome, none a 5xx, and afterwards every
 * service is ready and the model that served before still serves.
 */
class BadInputCatalogueIT {

  private static final String TOKEN = "catalogue-token";

  @Test
  void everyBadInputGetsItsExpectedOutcomeAndNothingBreaks() throws Exception {
    var infra = SharedInfrastructure.get();
    Map<String, String> env = Map.of("NIN_API_TOKEN", TOKEN, "NIN_TRAINER_DEVICE", "cpu");
    // the trainer first: it migrates the schema the others read
    try (var trainer =
            ServiceProcess.start(jar("trainer-service"), "trainer", infra, env)
                .awaitUp("/q/health/ready", Duration.ofSeconds(90));
        var ingest =
            ServiceProcess.start(jar("ingest-service"), "ingest", infra, env)
                .awaitUp("/q/health/ready", Duration.ofSeconds(90));
        var inference =
            ServiceProcess.start(
                    jar("inference-service"),
                    "inference",
                    infra,
                    Map.of("NIN_API_TOKEN", TOKEN, "NIN_INFERENCE_POLL_INTERVAL", "PT2S"))
                .awaitUp("/q/health/live", Duration.ofSeconds(90))) {
      var report =
          new BadInputCatalogue(
                  new Targets(
                      ingest.baseUrl(),
                      trainer.baseUrl(),
                      inference.baseUrl(),
                      infra.kafkaBootstrapServers(),
                      infra.jdbcUrl(),
                      infra.dbUser(),
                      infra.dbPassword(),
                      TOKEN))
              .run();
      for (var result : report.results()) {
        System.out.printf(
            "[bad input] %-10s %-55s expected %-30s got %s%n",
            result.input().area(),
            result.input().name(),
            result.input().expected(),
            result.outcome().observed());
      }
      assertThat(report.results())
          .as("every case of the catalogue ran")
          .hasSizeGreaterThanOrEqualTo(37);
      assertThat(
              report.results().stream()
                  .filter(r -> !r.asExpected())
                  .map(r -> r.input().name() + ": " + r.outcome().observed())
                  .toList())
          .as("cases without their expected outcome")
          .isEmpty();
      assertThat(report.serverErrors()).isZero();
      assertThat(report.servicesHealthy()).isTrue();
      assertThat(report.sameModelServes()).isTrue();
      for (var service : java.util.List.of(trainer, ingest, inference)) {
        assertThat(service.log()).as("a service log").doesNotContain(TOKEN);
      }
    }
  }

  private static Path jar(String service) {
    return Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar");
  }
}
