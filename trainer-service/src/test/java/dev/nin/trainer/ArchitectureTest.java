package dev.nin.trainer;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theTrainerUsesNoOtherServicesCode() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.serviceUsesNoOtherService("dev.nin.trainer.."),
        ArchitectureRules.productionClassesOf("dev.nin"));
  }

  @Test
  void sqlGoesThroughParametersOnly() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.sqlOnlyThroughParameters(),
        ArchitectureRules.productionClassesOf("dev.nin.trainer"));
  }

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.trainer"),
        ArchitectureRules.productionClassesOf("dev.nin.trainer"));
  }
}
