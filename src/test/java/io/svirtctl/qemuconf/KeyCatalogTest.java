package io.svirtctl.qemuconf;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.Fixtures;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog against libvirt's augeas lenses and the QEMU driver's value rules. */
class KeyCatalogTest {

  private static final Pattern ENTRY =
      Pattern.compile("(str|bool|int|str_array|limits)_entry\\s+\"([a-z0-9_]+)\"");

  private static Map<String, String> lensKeys(String path) throws IOException {
    String lens = Files.readString(Fixtures.path(path));
    Map<String, String> keys = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(lens);
    while (m.find()) {
      keys.put(m.group(2), m.group(1));
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "libvirt/upstream-11.3.0/libvirtd_qemu.aug",
        "libvirt/debian12-9.0.0/usr/share/augeas/lenses/libvirtd_qemu.aug"
      })
  void everyLensKeyIsInTheCatalogWithACompatibleType(String lensPath) throws IOException {
    Map<String, String> lens = lensKeys(lensPath);
    assertThat(lens).hasSizeGreaterThan(90);
    KeyCatalog catalog = KeyCatalog.libvirt();
    assertThat(catalog.names()).containsAll(lens.keySet());
    lens.forEach(
        (key, kind) -> {
          ValueType t = catalog.find(key).orElseThrow().type();
          Set<ValueType> compatible =
              switch (kind) {
                case "bool" -> Set.of(ValueType.BOOL);
                case "int" -> Set.of(ValueType.INT, ValueType.UINT);
                case "str" -> Set.of(ValueType.STRING, ValueType.STRING_OR_LIST);
                case "str_array" -> Set.of(ValueType.STRING_LIST);
                case "limits" -> Set.of(ValueType.LIMIT);
                default -> throw new IllegalStateException(kind);
              };
          assertThat(compatible).as("%s is a %s in the lens", key, kind).contains(t);
        });
  }

  @Test
  void catalogHasNoKeyTheNewestLensLacks() throws IOException {
    assertThat(lensKeys("libvirt/upstream-11.3.0/libvirtd_qemu.aug").keySet())
        .containsAll(KeyCatalog.libvirt().names());
  }

  @Test
  void keyNamesAreCaseSensitive() {
    assertThat(KeyCatalog.libvirt().find("SECURITY_DRIVER")).isEmpty();
    assertThat(KeyCatalog.libvirt().find("security_driver")).isPresent();
  }

  private static KeySpec spec(String key) {
    return KeyCatalog.libvirt().find(key).orElseThrow();
  }

  private static QemuValue.Int unsigned(long v) {
    return new QemuValue.Int(BigInteger.valueOf(v), false);
  }

  @Test
  void booleansAreTheUnsignedIntegersZeroAndOne() {
    KeySpec s = spec("security_require_confined");
    assertThat(s.check(unsigned(0))).isEmpty();
    assertThat(s.check(unsigned(1))).isEmpty();
    assertThat(s.check(unsigned(2)))
        .contains("value for 'security_require_confined' parameter must be 0 or 1");
    assertThat(s.check(new QemuValue.Int(BigInteger.ZERO, true)))
        .contains("expected a bool for 'security_require_confined' parameter");
    assertThat(s.check(new QemuValue.Str("1")))
        .contains("expected a bool for 'security_require_confined' parameter");
  }

  @Test
  void securityDriverIsAKnownNameOrAListOfDistinctKnownNames() {
    KeySpec s = spec("security_driver");
    assertThat(s.check(new QemuValue.Str("apparmor"))).isEmpty();
    assertThat(s.check(QemuValue.Lst.ofStrings(List.of("selinux", "apparmor")))).isEmpty();
    assertThat(s.check(new QemuValue.Str("dac"))).contains("Security driver dac not found");
    assertThat(s.check(QemuValue.Lst.ofStrings(List.of("bogus", "bogus"))))
        .contains("Duplicate security driver bogus");
    assertThat(s.check(unsigned(1)))
        .contains("expected a string or string list for 'security_driver' parameter");
    assertThat(s.check(new QemuValue.Lst(List.of(new QemuValue.Str("none"), unsigned(1)))))
        .contains("expected a string list for 'security_driver' parameter");
  }

  @Test
  void restrictedNamesUseLibvirtsMessages() {
    assertThat(spec("namespaces").check(QemuValue.Lst.ofStrings(List.of("net"))))
        .contains("Unknown namespace: net");
    assertThat(spec("namespaces").check(QemuValue.Lst.ofStrings(List.of("mount")))).isEmpty();
    assertThat(spec("cgroup_controllers").check(QemuValue.Lst.ofStrings(List.of("cpu", "gpu"))))
        .contains("Unknown cgroup controller 'gpu'");
    assertThat(spec("stdio_handler").check(new QemuValue.Str("journal")))
        .contains("Unknown stdio handler journal");
    assertThat(spec("max_core").check(new QemuValue.Str("lots")))
        .contains("Unknown core size 'lots'");
    assertThat(spec("max_core").check(new QemuValue.Str("unlimited"))).isEmpty();
  }

  @Test
  void integerRangesFollowTheGetterOfEachKey() {
    assertThat(spec("seccomp_sandbox").check(QemuValue.Int.of(-1))).isEmpty();
    assertThat(spec("max_processes").check(QemuValue.Int.of(-1)))
        .contains("expected an unsigned integer for 'max_processes' parameter");
    assertThat(spec("max_processes").check(unsigned(4294967296L)))
        .contains("value for 'max_processes' parameter must be in range 0:4294967295");
    assertThat(spec("seccomp_sandbox").check(unsigned(2147483648L)))
        .contains("value for 'seccomp_sandbox' parameter must be in range -2147483648:2147483647");
  }
}
