package dev.nin.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * contracts is built first, so it cannot use test-support's {@code ArchitectureRules}; these are
 * the same rules, asserted the same way (a violation fails with ArchUnit's report).
 */
class ArchitectureTest {

  private static final JavaClasses CONTRACTS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nin.contracts");

  @Test
  void theContractsAreTheWireOnlyWithoutPlumbingOrAnyOtherModuleOfOurs() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("dev.nin.contracts..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.kafka..",
                "jakarta.ws.rs..",
                "jakarta.enterprise..",
                "io.quarkus..",
                "java.sql..",
                "dev.nin.dataset..",
                "dev.nin.servicekit..",
                "dev.nin.core..",
                "dev.nin.ingest..",
                "dev.nin.trainer..",
                "dev.nin.inference..")
            .allowEmptyShould(false));
  }

  @Test
  void itsPackagesHaveNoCycles() {
    assertHolds(
        SlicesRuleDefinition.slices()
            .matching("dev.nin.contracts.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(false));
  }

  private static void assertHolds(ArchRule rule) {
    assertThat(CONTRACTS).as("contracts' production classes").isNotEmpty();
    var result = rule.evaluate(CONTRACTS);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }
}
