package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HookRecordTest {

  private static final Uuid WEB = Uuid.parse("5b3a1c1e-8a51-4d7c-9a77-0123456789ab").orElseThrow();
  private static final Uuid NEW = Uuid.parse("c0ffee00-1234-4cde-8f00-5566778899aa").orElseThrow();
  private static final String TEMPLATE =
      "#include <tunables/global>\n\nprofile LIBVIRT_TEMPLATE flags=(attach_disconnected) {\n"
          + "  #include <abstractions/libvirt-qemu>\n}\n";

  private static HookRecord record(Optional<Mode> defaultMode) {
    TreeMap<Uuid, HookRecord.Guest> guests = new TreeMap<>();
    guests.put(WEB, new HookRecord.Guest(Optional.of("web01"), Mode.COMPLAIN, List.of("/srv/w/** r,")));
    return new HookRecord(Optional.of(TEMPLATE), defaultMode, List.of("/srv/t/** r,"), guests);
  }

  @Test
  void jsonRoundTripsAndIsStable() {
    HookRecord r = record(Optional.of(Mode.ENFORCE));
    String json = r.toJson();
    assertThat(HookRecord.parse(json, "guests.json")).isEqualTo(r);
    assertThat(HookRecord.parse(json, "guests.json").toJson()).isEqualTo(json);
    assertThat(json).endsWith("}\n").contains("\"default_mode\" : \"enforce\"");
  }

  @Test
  void aMissingProfileComesFromTheTemplateWithModeAndRules() {
    HookRecord r = record(Optional.empty());
    HookRecord.Guest web = r.settingsFor(WEB).orElseThrow();

    String text = r.restore(WEB, web, Optional.empty()).orElseThrow();

    ProfileDocument doc = ProfileDocument.parse("p", text);
    assertThat(doc.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(doc.managedRules(WEB.profileName())).containsExactly("/srv/w/** r,");
    assertThat(text).contains("profile " + WEB.profileName(), "#include <libvirt/" + WEB.profileName() + ".files>");
    // Restoring what is already right writes nothing.
    assertThat(r.restore(WEB, web, Optional.of(text))).isEmpty();
    // A 0-byte profile is treated as missing, as libvirt does.
    assertThat(r.restore(WEB, web, Optional.of(""))).contains(text);
  }

  @Test
  void guestsUnknownAtApplyTimeGetTheDefaultModeOnlyWhenOneIsDeclared() {
    assertThat(record(Optional.empty()).settingsFor(NEW)).isEmpty();
    HookRecord.Guest g = record(Optional.of(Mode.COMPLAIN)).settingsFor(NEW).orElseThrow();
    assertThat(g.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(g.rules()).containsExactly("/srv/t/** r,");
  }

  @Test
  void withoutATemplateAMissingProfileIsLeftToLibvirt() {
    HookRecord r = new HookRecord(Optional.empty(), Optional.of(Mode.ENFORCE), List.of(), new TreeMap<>());
    assertThat(r.restore(NEW, r.settingsFor(NEW).orElseThrow(), Optional.empty())).isEmpty();
  }

  @Test
  void refusesWhatItDidNotWrite() {
    assertThatThrownBy(() -> HookRecord.parse("{", "g.json"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("g.json");
    assertThatThrownBy(() -> HookRecord.parse("{\"format_version\": 2}", "g.json"))
        .hasMessageContaining("format_version");
    assertThatThrownBy(() -> HookRecord.parse(
            "{\"format_version\": 1, \"guests\": {\"x\": {\"mode\": \"enforce\"}}}", "g.json"))
        .hasMessageContaining("guests.x: not a UUID");
    assertThatThrownBy(() -> HookRecord.parse(
            "{\"format_version\": 1, \"guests\": {\"" + WEB + "\": {\"mode\": \"sleep\"}}}", "g.json"))
        .hasMessageContaining("unknown mode 'sleep'");
  }

  @Test
  void aProfileMadeUnconfinedBehindSvirtctlsBackIsRestoredToItsRecordedMode() {
    TreeMap<Uuid, HookRecord.Guest> guests = new TreeMap<>();
    guests.put(WEB, new HookRecord.Guest(Optional.of("web01"), Mode.ENFORCE, List.of()));
    HookRecord r = new HookRecord(Optional.of(TEMPLATE), Optional.empty(), List.of(), guests);
    String enforced = r.restore(WEB, r.settingsFor(WEB).orElseThrow(), Optional.empty()).orElseThrow();
    String unconfined = enforced.replace("flags=(attach_disconnected)", "flags=(attach_disconnected, unconfined)");

    String restored = r.restore(WEB, r.settingsFor(WEB).orElseThrow(), Optional.of(unconfined)).orElseThrow();

    assertThat(restored).isEqualTo(enforced);
    assertThat(ProfileDocument.parse("p", restored).mode()).isEqualTo(Mode.ENFORCE);
  }
}
