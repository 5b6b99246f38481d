package dev.nin.inference;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theInferenceUsesNoOtherServicesCode() {
    ArchitectureRules.serviceUsesNoOtherService("dev.nin.inference..")
        .check(ArchitectureRules.productionClassesOf("dev.nin"));
  }

  @Test
  void sqlGoesThroughParametersOnly() {
    ArchitectureRules.sqlOnlyThroughParameters()
        .check(ArchitectureRules.productionClassesOf("dev.nin.inference"));
  }
}
