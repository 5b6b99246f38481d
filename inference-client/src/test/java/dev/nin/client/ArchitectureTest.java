package dev.nin.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** One package, so no cycles to check: what matters is what it does not stand on. */
class ArchitectureTest {

  @Test
  void theClientIsAClientWithoutTensorFlowKafkaOrADatabase() {
    ArchitectureRules.assertHolds(
        noClasses()
            .that()
            .resideInAPackage("dev.nin.client..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.tensorflow..",
                "ai.djl..",
                "dev.nin.core..",
                "org.apache.kafka..",
                "java.sql..",
                "org.postgresql..",
                "dev.nin.servicekit..",
                "dev.nin.tools..")
            .because("a user who wants a client gets a client, not a training stack")
            .allowEmptyShould(false),
        ArchitectureRules.productionClassesOf("dev.nin.client"));
  }
}
