package dev.nin.core;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void ninCoreIsAPlainLibraryWithoutInfrastructure() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.coreIsAPlainLibrary(),
        ArchitectureRules.productionClassesOf("dev.nin.core"));
  }

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.core"),
        ArchitectureRules.productionClassesOf("dev.nin.core"));
  }
}
