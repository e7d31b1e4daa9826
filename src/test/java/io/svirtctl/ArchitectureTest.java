package io.svirtctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
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
  void theImportSeesEveryLayer() {
    for (String pkg :
        List.of("cli", "render", "learn", "apply", "plan", "host", "state", "qemuconf",
        "apparmor")) {
      assertThat(classes.stream().map(JavaClass::getPackageName))
          .as("classes imported from io.svirtctl.%s", pkg)
          .contains("io.svirtctl." + pkg);
    }
  }

  @Test
  void aRuleTheCodeBreaksIsReportedAsAViolation() {
    // host reads files, so "nobody uses Files" must fail: holds() cannot pass vacuously.
    ArchRule broken =
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files");
    assertThat(broken.evaluate(classes).hasViolation()).isTrue();
  }

  /** A rule holds over the production classes; its violations are the failure message. */
  private static void holds(ArchRule rule) {
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  @Test
  void packagesFormNoCycles() {
    holds(slices().matching("io.svirtctl.(*)..").should().beFreeOfCycles());
  }

  @Test
  void layersPointDown() {
    holds(layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("io.svirtctl..")
        .withOptionalLayers(true)
        .layer("Cli").definedBy("io.svirtctl.cli..")
        .layer("Render").definedBy("io.svirtctl.render..")
        .layer("Learn").definedBy("io.svirtctl.learn..")
        .layer("Apply").definedBy("io.svirtctl.apply..")
        .layer("Plan").definedBy("io.svirtctl.plan..")
        .layer("Host").definedBy("io.svirtctl.host..")
        .layer("State").definedBy("io.svirtctl.state..")
        .layer("QemuConf").definedBy("io.svirtctl.qemuconf..")
        .layer("AppArmor").definedBy("io.svirtctl.apparmor..")
        .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("Render").mayOnlyBeAccessedByLayers("Cli")
        .whereLayer("Learn").mayOnlyBeAccessedByLayers("Cli", "Render")
        .whereLayer("Apply").mayOnlyBeAccessedByLayers("Cli", "Render")
        .whereLayer("Plan").mayOnlyBeAccessedByLayers("Cli", "Render", "Apply")
        .whereLayer("Host").mayOnlyBeAccessedByLayers("Cli", "Render", "Learn", "Apply", "Plan")
        .whereLayer("State").mayOnlyBeAccessedByLayers("Cli", "Render", "Learn", "Apply", "Plan")
        .whereLayer("QemuConf")
        .mayOnlyBeAccessedByLayers("Cli", "Render", "Apply", "Plan", "Host", "State")
        .whereLayer("AppArmor")
        .mayOnlyBeAccessedByLayers("Cli", "Render", "Learn", "Apply", "Plan", "Host", "State"));
  }

  @Test
  void planDoesNoIo() {
    holds(noClasses()
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
        .haveFullyQualifiedName("java.lang.Runtime"));
  }

  /** Records and enums of host: what a snapshot is made of, no reader or writer. */
  private static final DescribedPredicate<JavaClass> HOST_VALUE_TYPE =
      DescribedPredicate.describe("a record or enum of host",
          c -> c.getPackageName().equals("io.svirtctl.host") && (c.isRecord() || c.isEnum()));

  /** Uses of host by {@code packages} beyond its value types, or calls of what reads a host's root. */
  private static ArchRule usesOnlyHostValues(String packages) {
    return noClasses()
        .that()
        .resideInAPackage(packages)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe("a host type that is not a value",
                c -> c.getPackageName().equals("io.svirtctl.host") && !HOST_VALUE_TYPE.test(c)))
        .orShould()
        .callMethodWhere(DescribedPredicate.describe("the method reads under a host layout",
            call -> call.getTarget().getOwner().getPackageName().equals("io.svirtctl.host")
                && call.getTarget().getRawParameterTypes().stream()
                    .anyMatch(t -> t.getName().equals("io.svirtctl.host.HostLayout"))));
  }

  @Test
  void planUsesOnlyHostsValueTypes() {
    holds(usesOnlyHostValues("io.svirtctl.plan.."));
    // The same rule over apply, which reads snapshots, must fail: it cannot pass vacuously.
    assertThat(usesOnlyHostValues("io.svirtctl.apply..").evaluate(classes).hasViolation()).isTrue();
  }

  @Test
  void picocliAndSettingsLibraryOnlyInCli() {
    holds(noClasses()
        .that()
        .resideOutsideOfPackage("io.svirtctl.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "org.apache.commons.configuration2.."));
  }

  @Test
  void onlyCliPrintsOrExits() {
    holds(noClasses()
        .that()
        .resideOutsideOfPackage("io.svirtctl.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(System.class, "exit", int.class));
  }

  @Test
  void rootPackageDependsOnNoLayer() {
    holds(noClasses()
        .that()
        .resideInAPackage("io.svirtctl")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.svirtctl.cli..", "io.svirtctl.render..", "io.svirtctl.learn..", "io.svirtctl.apply..",
            "io.svirtctl.plan..", "io.svirtctl.host..", "io.svirtctl.state..",
            "io.svirtctl.qemuconf..", "io.svirtctl.apparmor.."));
  }
}
