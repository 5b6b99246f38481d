package dev.nin.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theContractsDependOnNoModuleOfOurs() {
    // contracts is built first, so it cannot use test-support's rules; this is the same rule.
    noClasses()
        .that()
        .resideInAPackage("dev.nin.contracts..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.nin.core..", "dev.nin.ingest..", "dev.nin.trainer..", "dev.nin.inference..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nin.contracts"));
  }

  @Test
  void itsPackagesHaveNoCycles() {
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("dev.nin.contracts.(*)..")
        .should()
        .beFreeOfCycles()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nin.contracts"));
  }
}
