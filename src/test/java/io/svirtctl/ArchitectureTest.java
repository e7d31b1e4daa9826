package io.svirtctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package arrows of DESIGN.md section 4 honest. */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.svirtctl");
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("io.svirtctl.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void layersPointDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("io.svirtctl..")
        .withOptionalLayers(true)
        .layer("Cli").definedBy("io.svirtctl.cli..")
        .layer("Render").definedBy("io.svirtctl.render..")
        .layer("Apply").definedBy("io.svirtctl.apply..")
        .layer("Plan").definedBy("io.svirtctl.plan..")
        .layer("Host").definedBy("io.svirtctl.host..")
        .layer("State").definedBy("io.svirtctl.state..")
        .layer("QemuConf").definedBy("io.svirtctl.qemuconf..")
        .layer("AppArmor").definedBy("io.svirtctl.apparmor..")
        .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("Render").mayOnlyBeAccessedByLayers("Cli")
        .whereLayer("Apply").mayOnlyBeAccessedByLayers("Cli", "Render")
        .whereLayer("Plan").mayOnlyBeAccessedByLayers("Cli", "Render", "Apply")
        .whereLayer("Host").mayOnlyBeAccessedByLayers("Cli", "Render", "Apply", "Plan")
        .whereLayer("State").mayOnlyBeAccessedByLayers("Cli", "Render", "Apply", "Plan")
        .whereLayer("QemuConf")
        .mayOnlyBeAccessedByLayers("Cli", "Render", "Apply", "Plan", "Host", "State")
        .whereLayer("AppArmor")
        .mayOnlyBeAccessedByLayers("Cli", "Render", "Apply", "Plan", "Host", "State")
        .check(classes);
  }

  @Test
  void planDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage("io.svirtctl.plan..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.nio.file.Files")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.channels..", "java.net..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Runtime")
        .check(classes);
  }

  @Test
  void picocliAndSettingsLibraryOnlyInCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.svirtctl.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "org.apache.commons.configuration2..")
        .check(classes);
  }

  @Test
  void onlyCliPrintsOrExits() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.svirtctl.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(System.class, "exit", int.class)
        .check(classes);
  }

  @Test
  void rootPackageDependsOnNoLayer() {
    noClasses()
        .that()
        .resideInAPackage("io.svirtctl")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.svirtctl.cli..", "io.svirtctl.render..", "io.svirtctl.apply..",
            "io.svirtctl.plan..", "io.svirtctl.host..", "io.svirtctl.state..",
            "io.svirtctl.qemuconf..", "io.svirtctl.apparmor..")
        .check(classes);
  }
}
