package dev.nin.tools;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.tools"),
        ArchitectureRules.productionClassesOf("dev.nin.tools"));
  }
}
