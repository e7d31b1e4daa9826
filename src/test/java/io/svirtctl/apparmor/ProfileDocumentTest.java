package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileDocumentTest {

  private static ProfileDocument doc(String text) {
    return ProfileDocument.parse("p", text);
  }

  @Test
  void findsProfilesHatsAndChildrenWithTheirPathsAndDepth() {
    ProfileDocument d =
        doc(
            "# profile fake {\n"
                + "@{bin} = /opt/{a,b}/bin\n"
                + "profile outer @{bin}/tool flags=(audit) {\n"
                + "  /{usr/,}lib/** r,\n"
                + "  ^first {\n  }\n"
                + "  hat second flags=(complain) {\n  }\n"
                + "  profile inner {\n    /x r,\n  }\n"
                + "}\n"
                + "\"/opt/with space/bin\" {\n}\n");
    assertThat(d.headers())
        .extracting(ProfileHeader::path)
        .containsExactly(
            "outer", "outer//first", "outer//second", "outer//inner", "/opt/with space/bin");
    assertThat(d.headers()).extracting(ProfileHeader::depth).containsExactly(0, 1, 1, 1, 0);
    assertThat(d.headers())
        .extracting(ProfileHeader::kind)
        .containsExactly(
            HeaderKind.PROFILE, HeaderKind.HAT, HeaderKind.HAT, HeaderKind.PROFILE, HeaderKind.PATH);
    ProfileHeader outer = d.headers().get(0);
    assertThat(outer.line()).isEqualTo(3);
    assertThat(outer.attachment()).contains("@{bin}/tool");
    assertThat(outer.flags()).containsExactly("audit");
    assertThat(d.flags("second")).containsExactly("complain");
    assertThat(d.mode()).isEqualTo(Mode.ENFORCE);
  }

  @Test
  void readsEveryFlagSpelling() {
    assertThat(doc("/a (complain) {\n}\n").flags("/a")).containsExactly("complain");
    assertThat(doc("/a flags = ( x , y ) {\n}\n").flags("/a")).containsExactly("x", "y");
    assertThat(doc("/a flags=(x y,z) {\n}\n").flags("/a")).containsExactly("x", "y", "z");
    assertThat(doc("profile :ns:a xattrs=(k=\"v w\") flags=(x) {\n}\n").flags(":ns:a"))
        .containsExactly("x");
    assertThat(doc("profile a\n  flags=(x)\n{\n}\n").flags("a")).containsExactly("x");
  }

  @Test
  void modeChangeTouchesOnlyTheFlagList() {
    String text = "profile a /bin/a  flags=(audit,kill)   { # note\r\n  /x r,\r\n}\r\n";
    String complain = doc(text).withMode(Mode.COMPLAIN).text();
    assertThat(complain)
        .isEqualTo("profile a /bin/a  flags=(audit, complain)   { # note\r\n  /x r,\r\n}\r\n");
    assertThat(doc(complain).withMode(Mode.ENFORCE).text())
        .isEqualTo("profile a /bin/a  flags=(audit)   { # note\r\n  /x r,\r\n}\r\n");
    assertThat(doc("profile a flags=(complain) {\n}").withMode(Mode.ENFORCE).text())
        .isEqualTo("profile a {\n}");
  }

  @Test
  void aHeaderAlreadyInTheRightModeIsLeftAsWritten() {
    ProfileDocument d = doc("profile a flags=(complain,audit) {\n}\n");
    assertThat(d.withMode(Mode.COMPLAIN)).isSameAs(d);
  }

  @Test
  void withFlagsSetsTheListExactly() {
    ProfileDocument d = doc("profile a {\n  ^h {\n  }\n}\n");
    ProfileDocument set = d.withFlags("a", List.of("attach_disconnected", "complain"));
    assertThat(set.text())
        .isEqualTo("profile a flags=(attach_disconnected, complain) {\n  ^h {\n  }\n}\n");
    assertThat(set.withFlags("a", List.of("attach_disconnected", "complain"))).isSameAs(set);
    assertThat(set.withFlags("a", List.of()).text()).isEqualTo(d.text());
    assertThat(d.withFlags("a//h", List.of("audit")).text()).contains("^h flags=(audit) {");
    assertThatThrownBy(() -> d.withFlags("a", List.of("bad flag")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withFlags("nope", List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no profile named 'nope'");
  }

  @Test
  void refusesWhatIsNotAProfileWithItsPosition() {
    assertThatThrownBy(() -> doc("# only a comment\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("p: no profile header found");
    assertThatThrownBy(() -> doc("\nfoo {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("p:2:1: profile names must begin with '/'");
    assertThatThrownBy(() -> doc("profile a {\n  /x r,\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("p:1:11: '{' is never closed");
    assertThatThrownBy(() -> doc("profile a {\n}\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("p:3:1: '}' closes no block");
    assertThatThrownBy(() -> doc("profile a flags=(x {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("p:1:11:");
    assertThatThrownBy(() -> doc("profile a /b junk {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("p:1:14: unexpected 'junk' in profile header");
  }
}
