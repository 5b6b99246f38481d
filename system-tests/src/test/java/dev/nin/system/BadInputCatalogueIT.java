package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.testsupport.SharedInfrastructure;
import dev.nin.tools.bench.Targets;
import dev.nin.tools.chaos.BadInputCatalogue;
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
    try (var services = PackagedServices.start(infra, "catalogue", TOKEN)) {
      var trainer = services.trainer();
      var ingest = services.ingest();
      var inference = services.inference();
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
}
