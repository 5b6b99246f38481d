package dev.nin.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module boundaries, written once and checked by every module's ArchitectureTest: services
 * share only the contracts (and the nin-core library), never each other's code.
 */
public final class ArchitectureRules {

  public static final String CONTRACTS = "dev.nin.contracts..";
  public static final String CORE = "dev.nin.core..";
  public static final List<String> SERVICES =
      List.of("dev.nin.ingest..", "dev.nin.trainer..", "dev.nin.inference..");

  private ArchitectureRules() {}

  /**
   * The production classes of one module's root package; fails when there are none, because every
   * rule holds on an empty set (a renamed package, a build that compiled nothing).
   */
  public static JavaClasses productionClassesOf(String rootPackage) {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(rootPackage);
    org.assertj.core.api.Assertions.assertThat(classes)
        .as("production classes imported from " + rootPackage)
        .isNotEmpty();
    return classes;
  }

  /** nin-core stays a plain library: no Quarkus, Kafka, JDBC, or service code. */
  public static ArchRule coreIsAPlainLibrary() {
    return noClasses()
        .that()
        .resideInAPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "jakarta.enterprise..",
            "jakarta.ws.rs..",
            "org.apache.kafka..",
            "io.smallrye.reactive.messaging..",
            "java.sql..",
            "javax.sql..",
            "org.postgresql..",
            "dev.nin.servicekit..",
            "dev.nin.ingest..",
            "dev.nin.trainer..",
            "dev.nin.inference..")
        .because("nin-core must be testable and benchmarkable without infrastructure")
        .allowEmptyShould(false);
  }

  /** A service may use the contracts and nin-core, never another service's classes. */
  public static ArchRule serviceUsesNoOtherService(String servicePackage) {
    String[] others =
        SERVICES.stream().filter(other -> !other.equals(servicePackage)).toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(servicePackage)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("services share code only through the contracts module")
        .allowEmptyShould(false);
  }

  /**
   * SQL goes through prepared statements with parameters only: no plain {@code Statement}, so no
   * value can ever be concatenated into a query.
   */
  public static ArchRule sqlOnlyThroughParameters() {
    return noClasses()
        .should()
        .callMethod(java.sql.Connection.class, "createStatement")
        .orShould()
        .callMethodWhere(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
                            java.sql.Statement.class)))
                .and(
                    com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching(
                            "execute.*")))
                .and(
                    com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasParameterTypes.Predicates
                            .rawParameterTypes(String.class))))
        .because("values reach SQL only as parameters of prepared statements")
        .allowEmptyShould(false);
  }

  /**
   * The feature packages right under {@code rootPackage} (e.g. {@code dev.nin.trainer}: {@code
   * runs}, {@code metrics}, {@code training}) depend on one another without a cycle, so each can be
   * read, tested and moved with only what it names.
   */
  public static ArchRule featurePackagesFreeOfCycles(String rootPackage) {
    return com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching(rootPackage + ".(*)..")
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(false);
  }

  /**
   * Fails with ArchUnit's report of every violation when {@code rule} does not hold. The rules
   * refuse an empty subject ({@code allowEmptyShould(false)}): a rule about no classes proves
   * nothing.
   */
  public static void assertHolds(ArchRule rule, JavaClasses classes) {
    var result = rule.evaluate(classes);
    org.assertj.core.api.Assertions.assertThat(result.hasViolation())
        .as(result.getFailureReport().toString())
        .isFalse();
  }
}
