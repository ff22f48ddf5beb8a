package io.datahose.archiver;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering rules, checked on the compiled product (tests excluded): the generated jOOQ schema is
 * used only by stores and queries, and the feature packages depend on each other in one direction only.
 */
@DisplayName("Architecture")
class ArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.datahose.archiver");

  @Test
  @DisplayName("Only stores and queries use the generated jOOQ classes: the event and evidence stores, the read side, "
      + "and the features' *Store and *Queries classes")
  void onlyStoresAndQueriesTouchTheSchema() {
    noClasses()
        .that().resideOutsideOfPackages(
            "io.datahose.archiver.db..",        // the generated code itself
            "io.datahose.archiver.archive..",   // the event store: the write path, its projections, its file
            "io.datahose.archiver.evidence..",  // the evidence store: Merkle logs, tree heads, certificates
            "io.datahose.archiver.query..")     // the read side the officer API answers from
        .and().haveSimpleNameNotEndingWith("Store")
        .and().haveSimpleNameNotEndingWith("Queries")
        .should().dependOnClassesThat().resideInAPackage("io.datahose.archiver.db..")
        .check(classes);
  }

  @Test
  @DisplayName("No cycle between the top-level packages")
  void packagesAreFreeOfCycles() {
    slices().matching("io.datahose.archiver.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  @DisplayName("The simulator does not depend on the daemon it simulates a pod for")
  void simulatorIsIndependent() {
    noClasses()
        .that().resideInAPackage("io.datahose.archiver.simulator..")
        .should().dependOnClassesThat().resideInAnyPackage("io.datahose.archiver.archive..",
            "io.datahose.archiver.capture..", "io.datahose.archiver.api..")
        .check(classes);
  }
}
