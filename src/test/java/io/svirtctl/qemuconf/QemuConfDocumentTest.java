package io.svirtctl.qemuconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.Diagnostic;
import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QemuConfDocumentTest {

  private static final QemuValue APPARMOR = new QemuValue.Str("apparmor");

  private static QemuConfDocument doc(String text) {
    return QemuConfDocument.parse("qemu.conf", text);
  }

  private static SourceLocation errorAt(String text) {
    try {
      doc(text);
    } catch (InvalidInputException e) {
      return e.diagnostics().get(0).location();
    }
    throw new AssertionError("accepted: " + text);
  }

  private static String errorOf(String text) {
    try {
      doc(text);
    } catch (InvalidInputException e) {
      return e.diagnostics().get(0).message();
    }
    throw new AssertionError("accepted: " + text);
  }

  @Nested
  class Grammar {

    @Test
    void readsStringsIntegersAndLists() {
      QemuConfDocument d =
          doc("a = 'x y'\nb = \"z\"\nc = \"\"\"l1\nl2\"\"\"\nd = -3\ne = +4\nf = [ \"p\", 1, ]\n");
      assertThat(d.get("a")).contains(new QemuValue.Str("x y"));
      assertThat(d.get("b")).contains(new QemuValue.Str("z"));
      assertThat(d.get("c")).contains(new QemuValue.Str("l1\nl2"));
      assertThat(d.get("d")).contains(new QemuValue.Int(BigInteger.valueOf(-3), true));
      assertThat(d.get("e")).contains(new QemuValue.Int(BigInteger.valueOf(4), false));
      assertThat(d.get("f"))
          .contains(new QemuValue.Lst(List.of(new QemuValue.Str("p"), QemuValue.Int.of(1))));
      assertThat(d.keys()).containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void tripleQuotesNeedSixMoreBytesAfterThem() {
      // At the very end of a file libvirt does not see """ as a triple quote: "" then ".
      assertThat(errorOf("k = \"\"\"ab\"")).isEqualTo("expecting a separator");
      assertThat(doc("k = \"\"\"abc\"\"\"").get("k")).contains(new QemuValue.Str("abc"));
    }

    @Test
    void firstActiveOccurrenceWinsAndCommentsAreNotOccurrences() {
      QemuConfDocument d = doc("#user = \"a\"\nuser = \"b\"\nuser = \"c\"\n");
      assertThat(d.get("user")).contains(new QemuValue.Str("b"));
      assertThat(d.occurrences("user")).isEqualTo(2);
      assertThat(d.keys()).containsExactly("user");
    }

    @Test
    void emptyFileIsValidButBlankFileIsNot() {
      assertThat(doc("").keys()).isEmpty();
      assertThat(errorOf(" \n\t\n")).isEqualTo("expecting a name");
      assertThat(errorAt(" \n\t\n")).isEqualTo(new SourceLocation("qemu.conf", 3, 1));
    }

    @Test
    void errorsCarryLibvirtsLineAndOurColumn() {
      assertThat(errorOf("a = 1\nb = 2 c = 3\n")).isEqualTo("expecting a separator");
      assertThat(errorAt("a = 1\nb = 2 c = 3\n")).isEqualTo(new SourceLocation("qemu.conf", 2, 7));
      assertThat(errorOf("l = [\n  \"x\"\n  # no comments in lists\n]\n"))
          .isEqualTo("expecting a separator in list");
      assertThat(errorAt("l = [\n  \"x\"\n  # no comments in lists\n]\n").line()).isEqualTo(3);
      assertThat(errorOf("l = [ \"x\" \"y\" ]\n")).isEqualTo("expecting a separator in list");
      assertThat(errorOf("n = -\n")).isEqualTo("unterminated number");
      assertThat(errorOf("s = 'abc\n")).isEqualTo("unterminated string");
      assertThat(errorOf("s = \"\"\"abc\n\n")).isEqualTo("unterminated string");
    }

    @Test
    void carriageReturnEndsALineButOnlyLineFeedsCount() {
      QemuConfDocument d = doc("a = 1\r\nb = 2\rc = 3");
      assertThat(d.keys()).containsExactly("a", "b", "c");
      assertThat(errorAt("a = 1\rb = 2 x").line()).isEqualTo(1);
    }

    @Test
    void hugeIntegersWrapAsInLibvirt() {
      // libvirt accumulates digits in a 64-bit integer without overflow checks.
      assertThat(doc("n = 18446744073709551617\n").get("n")).contains(QemuValue.Int.of(1));
    }
  }

  @Nested
  class Validation {

    @Test
    void reportsTheFirstOccurrenceAtItsValue() {
      QemuConfDocument d =
          doc("security_default_confined = 2\nsecurity_default_confined = 1\nunknown_k = 7\n");
      assertThat(d.validate())
          .containsExactly(
              new Diagnostic(
                  new SourceLocation("qemu.conf", 1, 29),
                  "value for 'security_default_confined' parameter must be 0 or 1"));
    }

    @Test
    void aLaterBadDuplicateIsIgnoredAsLibvirtDoes() {
      assertThat(doc("user = \"a\"\nuser = 0\n").validate()).isEmpty();
    }
  }

  @Nested
  class Edits {

    @Test
    void setReplacesTheValueInPlaceKeepingSpacingAndTrailingComment() {
      QemuConfDocument d = doc("x = 1\nsecurity_driver\t=  'selinux'   # site choice\ny = 2\n");
      assertThat(d.set("security_driver", APPARMOR).text())
          .isEqualTo("x = 1\nsecurity_driver\t=  \"apparmor\"   # site choice\ny = 2\n");
    }

    @Test
    void setReplacesAMultiLineList() {
      QemuConfDocument d = doc("cgroup_device_acl = [\n  \"/dev/null\",\n  \"/dev/kvm\",\n] # acl\n");
      QemuConfDocument e =
          d.set("cgroup_device_acl", QemuValue.Lst.ofStrings(List.of("/dev/null", "/dev/full")));
      assertThat(e.text()).isEqualTo("cgroup_device_acl = [ \"/dev/null\", \"/dev/full\" ] # acl\n");
    }

    @Test
    void setInsertsRightAfterTheCommentedOutDefault() {
      QemuConfDocument d =
          doc("# prose\n#       security_driver = [ \"a\" ]\n#security_driver = \"selinux\"\n\nz = 1\n");
      assertThat(d.set("security_driver", APPARMOR).text())
          .isEqualTo(
              "# prose\n#       security_driver = [ \"a\" ]\n#security_driver = \"selinux\"\n"
                  + "security_driver = \"apparmor\"\n\nz = 1\n");
      QemuConfDocument spaced = doc("# user = \"qemu\"\n# more\n");
      assertThat(spaced.set("user", new QemuValue.Str("libvirt-qemu")).text())
          .isEqualTo("# user = \"qemu\"\nuser = \"libvirt-qemu\"\n# more\n");
    }

    @Test
    void setInsertsAfterTheLastLineOfACommentedOutList() {
      QemuConfDocument d = doc("#cgroup_device_acl = [\n#    \"/dev/null\",\n#]\n#\n# more\n");
      assertThat(d.set("cgroup_device_acl", QemuValue.Lst.ofStrings(List.of("/dev/kvm"))).text())
          .isEqualTo(
              "#cgroup_device_acl = [\n#    \"/dev/null\",\n#]\n"
                  + "cgroup_device_acl = [ \"/dev/kvm\" ]\n#\n# more\n");
    }

    @Test
    void setAppendsWhenThereIsNoOccurrenceAtAll() {
      assertThat(doc("a = 1\n").set("user", new QemuValue.Str("u")).text())
          .isEqualTo("a = 1\nuser = \"u\"\n");
      assertThat(doc("").set("user", new QemuValue.Str("u")).text()).isEqualTo("user = \"u\"\n");
    }

    @Test
    void setAddsTheMissingFinalLineBreakFirst() {
      assertThat(doc("a = 1 # end").set("b", QemuValue.Int.of(0)).text())
          .isEqualTo("a = 1 # end\nb = 0\n");
      assertThat(doc("#b = 1").set("b", QemuValue.Int.of(0)).text()).isEqualTo("#b = 1\nb = 0\n");
    }

    @Test
    void insertedLinesFollowACrlfFile() {
      QemuConfDocument d = doc("a = 1\r\n#b = 1\r\nc = 2\r\n");
      assertThat(d.set("b", QemuValue.Int.of(0)).text()).isEqualTo("a = 1\r\n#b = 1\r\nb = 0\r\nc = 2\r\n");
      assertThat(d.set("z", QemuValue.Int.of(0)).text()).endsWith("c = 2\r\nz = 0\r\n");
      assertThat(d.set("c", QemuValue.Int.of(0)).unset("a").text()).isEqualTo("#b = 1\r\nc = 0\r\n");
    }

    @Test
    void setRemovesLaterDuplicatesSoTheFileSaysOneThing() {
      QemuConfDocument d =
          doc("security_driver = \"none\"\nx = 1\nsecurity_driver = \"selinux\" # old\n"
              + "y = 2; security_driver = \"none\"\n");
      QemuConfDocument e = d.set("security_driver", APPARMOR);
      assertThat(e.text()).isEqualTo("security_driver = \"apparmor\"\nx = 1\ny = 2\n");
      assertThat(e.occurrences("security_driver")).isEqualTo(1);
      // Same value but duplicated: the duplicates still go.
      assertThat(doc("k = 1; k = 2; k = 3\n").set("k", QemuValue.Int.of(1)).text())
          .isEqualTo("k = 1\n");
      assertThat(doc("a = 0\nk = 1; k = 2\nb = 3\n").unset("k").text()).isEqualTo("a = 0\nb = 3\n");
      assertThat(doc("a = 0\nk = 1\n\n# c\n").unset("k").text()).isEqualTo("a = 0\n\n# c\n");
      assertThat(doc("a = 0; k = 1; b = 2\n").unset("k").text()).isEqualTo("a = 0; b = 2\n");
    }

    @Test
    void unsetRemovesActiveOccurrencesAndKeepsComments() {
      QemuConfDocument d =
          doc("#security_driver = \"selinux\"\nsecurity_driver = \"none\"\nb = 1;security_driver = \"x\"\n");
      QemuConfDocument e = d.unset("security_driver");
      assertThat(e.text()).isEqualTo("#security_driver = \"selinux\"\nb = 1\n");
      assertThat(e.get("security_driver")).isEmpty();
      assertThat(e.unset("security_driver")).isSameAs(e);
    }

    @Test
    void unsetOfTheOnlyEntryAmongBlankLinesGivesAnEmptyFileLibvirtAccepts() {
      assertThat(doc("\n\nuser = \"a\"\n\n").unset("user").text()).isEmpty();
    }

    @Test
    void setTwiceIsSetOnce() {
      List<String> texts =
          List.of("", "a = 1", "#security_driver = \"selinux\"\n", "security_driver = 'none' # c\n",
              "security_driver = \"none\"\r\nsecurity_driver = \"x\"\r\n");
      for (String t : texts) {
        QemuConfDocument once = doc(t).set("security_driver", APPARMOR);
        QemuConfDocument twice = once.set("security_driver", APPARMOR);
        assertThat(twice.text()).as(t).isEqualTo(once.text());
        assertThat(twice).isSameAs(once);
        assertThat(once.get("security_driver")).contains(APPARMOR);
      }
    }

    @Test
    void valuesAreWrittenInTheFormTheLensAcceptsUnlessOnlyAnotherFormCanSayIt() {
      QemuConfDocument d = doc("");
      assertThat(d.set("k", new QemuValue.Str("say \"hi\"")).text()).isEqualTo("k = 'say \"hi\"'\n");
      assertThat(d.set("k", new QemuValue.Str("it's \"x\"!")).text())
          .isEqualTo("k = \"\"\"it's \"x\"!\"\"\"\n");
      assertThat(d.set("k", new QemuValue.Int(BigInteger.ZERO, true)).get("k"))
          .contains(new QemuValue.Int(BigInteger.ZERO, true));
      assertThat(d.set("k", QemuValue.Lst.ofStrings(List.of("a", "b"))).text())
          .isEqualTo("k = [ \"a\", \"b\" ]\n");
      assertThatThrownBy(() -> d.set("k", new QemuValue.Str("'both' \"")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> d.set("k", new QemuValue.Int(BigInteger.ONE.shiftLeft(64), false)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> d.set("_k", APPARMOR)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void debianFileGetsExactlyOneLineAfterItsCommentedDefault() throws IOException {
      String text = Files.readString(Fixtures.path("libvirt/debian12-9.0.0/etc/libvirt/qemu.conf"));
      QemuConfDocument d = doc(text);
      List<String> before = text.lines().toList();
      int defaultLine = before.indexOf("#security_driver = \"selinux\"");
      assertThat(defaultLine).isPositive();
      List<String> after = d.set("security_driver", APPARMOR).text().lines().toList();
      assertThat(after).hasSize(before.size() + 1);
      assertThat(after.get(defaultLine + 1)).isEqualTo("security_driver = \"apparmor\"");
      assertThat(after.subList(0, defaultLine + 1)).isEqualTo(before.subList(0, defaultLine + 1));
      assertThat(after.subList(defaultLine + 2, after.size()))
          .isEqualTo(before.subList(defaultLine + 1, before.size()));
    }
  }
}
