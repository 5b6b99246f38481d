package dev.nin.inference;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theInferenceUsesNoOtherServicesCode() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.serviceUsesNoOtherService("dev.nin.inference.."),
        ArchitectureRules.productionClassesOf("dev.nin"));
  }

  @Test
  void sqlGoesThroughParametersOnly() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.sqlOnlyThroughParameters(),
        ArchitectureRules.productionClassesOf("dev.nin.inference"));
  }

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.inference"),
        ArchitectureRules.productionClassesOf("dev.nin.inference"));
  }
}
