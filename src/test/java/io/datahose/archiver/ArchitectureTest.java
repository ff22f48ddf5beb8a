package io.datahose.archiver;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The one layering rule of design.md: the generated jOOQ schema is private to the archive's write and read sides. */
@DisplayName("Architecture")
class ArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.datahose.archiver");

  @Test
  @DisplayName("Only the archive, query and evidence packages use the generated jOOQ classes")
  void onlyArchiveAndQueryTouchTheSchema() {
    noClasses()
        .that().resideOutsideOfPackages("io.datahose.archiver.archive..", "io.datahose.archiver.query..",
            "io.datahose.archiver.evidence..", "io.datahose.archiver.retention..",
            "io.datahose.archiver.db..")
        .should().dependOnClassesThat().resideInAPackage("io.datahose.archiver.db..")
        .check(classes);
  }

  @Test
  @DisplayName("The simulator does not depend on the daemon it simulates a pod for")
  void simulatorIsIndependent() {
    noClasses()
        .that().resideInAPackage("io.datahose.archiver.simulator..")
        .should().dependOnClassesThat().resideInAnyPackage("io.datahose.archiver.archive..",
            "io.datahose.archiver.ingest..", "io.datahose.archiver.api..")
        .check(classes);
  }
}
