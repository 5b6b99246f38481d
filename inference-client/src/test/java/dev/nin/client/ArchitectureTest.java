package dev.nin.client;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.client"),
        ArchitectureRules.productionClassesOf("dev.nin.client"));
  }
}
