package dev.nin.ingest;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theIngestUsesNoOtherServicesCode() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.serviceUsesNoOtherService("dev.nin.ingest.."),
        ArchitectureRules.productionClassesOf("dev.nin"));
  }

  @Test
  void featurePackagesHaveNoCycles() {
    ArchitectureRules.assertHolds(
        ArchitectureRules.featurePackagesFreeOfCycles("dev.nin.ingest"),
        ArchitectureRules.productionClassesOf("dev.nin.ingest"));
  }
}
