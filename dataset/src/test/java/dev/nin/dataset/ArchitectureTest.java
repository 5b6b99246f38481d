package dev.nin.dataset;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The dataset is read the same way by ingest (which publishes it) and nin-core (which trains on it
 * in memory), so it must not stand on either's infrastructure. Built before test-support, it
 * asserts its rule as test-support's {@code ArchitectureRules} do.
 */
class ArchitectureTest {

  private static final JavaClasses DATASET =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nin.dataset");

  @Test
  void theDatasetUsesNoKafkaWebDatabaseOrServiceCode() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("dev.nin.dataset..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.kafka..",
                "jakarta.ws.rs..",
                "jakarta.enterprise..",
                "io.quarkus..",
                "java.sql..",
                "org.tensorflow..",
                "dev.nin.servicekit..",
                "dev.nin.core..",
                "dev.nin.ingest..",
                "dev.nin.trainer..",
                "dev.nin.inference..")
            .allowEmptyShould(false));
  }

  private static void assertHolds(ArchRule rule) {
    assertThat(DATASET).as("dataset's production classes").isNotEmpty();
    var result = rule.evaluate(DATASET);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }
}
