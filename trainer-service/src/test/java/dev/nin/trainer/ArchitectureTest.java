package dev.nin.trainer;

import dev.nin.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void theTrainerUsesNoOtherServicesCode() {
    ArchitectureRules.serviceUsesNoOtherService("dev.nin.trainer..")
        .check(ArchitectureRules.productionClassesOf("dev.nin"));
  }

  @Test
  void sqlGoesThroughParametersOnly() {
    ArchitectureRules.sqlOnlyThroughParameters()
        .check(ArchitectureRules.productionClassesOf("dev.nin.trainer"));
  }
}
