package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedRulesTest {

  private static final String TWO =
      "profile first {\n"
          + "  /a r,\n"
          + "  profile child {\n"
          + "    /c r,\n"
          + "  }\n"
          + "}\n"
          + "\n"
          + "profile second {\n"
          + "  /b r,\n"
          + "}\n";

  @Test
  void insertsBeforeTheNamedProfilesClosingBraceOnly() {
    ProfileDocument d = ProfileDocument.parse("p", TWO).withManagedRules("first", List.of("/srv/** rw,"));
    assertThat(d.text())
        .isEqualTo(
            "profile first {\n"
                + "  /a r,\n"
                + "  profile child {\n"
                + "    /c r,\n"
                + "  }\n"
                + "  # BEGIN svirtctl managed rules\n"
                + "  /srv/** rw,\n"
                + "  # END svirtctl managed rules\n"
                + "}\n"
                + "\n"
                + "profile second {\n"
                + "  /b r,\n"
                + "}\n");
    assertThat(d.managedRules("first")).containsExactly("/srv/** rw,");
    assertThat(d.managedRules("second")).isEmpty();
    assertThat(d.managedRules("first//child")).isEmpty();
  }

  @Test
  void replacesInPlaceIsIdempotentAndRemovesWhenEmpty() {
    ProfileDocument original = ProfileDocument.parse("p", TWO);
    ProfileDocument one = original.withManagedRules("second", List.of("/x r,", "/y w,"));
    assertThat(one.withManagedRules("second", List.of("/x r,", "/y w,"))).isSameAs(one);
    ProfileDocument replaced = one.withManagedRules("second", List.of("/z r,"));
    assertThat(replaced.managedRules("second")).containsExactly("/z r,");
    assertThat(replaced.text()).doesNotContain("/x r,");
    assertThat(replaced.withManagedRules("second", List.of()).text()).isEqualTo(TWO);
    assertThat(original.withManagedRules("second", List.of())).isSameAs(original);
  }

  @Test
  void keepsCrlfAndWorksWithoutAFinalNewline() {
    String crlf = "profile a {\r\n  /x r,\r\n}\r\n";
    String out = ProfileDocument.parse("p", crlf).withManagedRules("a", List.of("/y r,")).text();
    assertThat(out)
        .isEqualTo(
            "profile a {\r\n  /x r,\r\n  # BEGIN svirtctl managed rules\r\n  /y r,\r\n"
                + "  # END svirtctl managed rules\r\n}\r\n");
    String noEol = "profile a {\n  /x r,\n}";
    assertThat(ProfileDocument.parse("p", noEol).withManagedRules("a", List.of("/y r,")).text())
        .endsWith("  # END svirtctl managed rules\n}");
    String oneLine = "profile a { /x r, }\n";
    ProfileDocument d = ProfileDocument.parse("p", oneLine).withManagedRules("a", List.of("/y r,"));
    assertThat(d.managedRules("a")).containsExactly("/y r,");
    assertThat(d.withManagedRules("a", List.of("/y r,"))).isSameAs(d);
  }

  @Test
  void refusesBrokenMarkersAndBadRules() {
    String open = "profile a {\n  # BEGIN svirtctl managed rules\n  /x r,\n}\n";
    assertThatThrownBy(() -> ProfileDocument.parse("p", open).managedRules("a"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("p:2:1:");
    ProfileDocument d = ProfileDocument.parse("p", TWO);
    assertThatThrownBy(() -> d.withManagedRules("first", List.of("/a r,\n}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withManagedRules("first", List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
