package dev.nin.ingest;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theIngestUsesNoOtherServicesCode() {
    ArchitectureRules.serviceUsesNoOtherService("dev.nin.ingest..")
        .check(ArchitectureRules.productionClassesOf("dev.nin"));
  }
}
