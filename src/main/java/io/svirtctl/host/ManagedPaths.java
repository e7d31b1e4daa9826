package io.svirtctl.host;

import io.svirtctl.Uuid;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where each file svirtctl reads or manages lives, as seen inside the root, derived from a {@link
 * HostLayout}. Computing a path does no I/O.
 */
public record ManagedPaths(HostLayout layout) {

  /** Name of svirtctl's file in {@code abstractions/libvirt-qemu.d/}. */
  public static final String DROP_IN_NAME = "svirtctl";

  public ManagedPaths {
    Objects.requireNonNull(layout, "layout");
  }

  public Path qemuConf() {
    return layout.qemuConf();
  }

  /** The directory of the sVirt templates and guest profiles. */
  public Path libvirtProfileDir() {
    return layout.apparmorDir().resolve("libvirt");
  }

  public Path templateQemu() {
    return libvirtProfileDir().resolve("TEMPLATE.qemu");
  }

  public Path templateLegacy() {
    return libvirtProfileDir().resolve("TEMPLATE");
  }

  public Path templateLxc() {
    return libvirtProfileDir().resolve("TEMPLATE.lxc");
  }

  /** {@code libvirt/libvirt-<uuid>}, the guest's profile. */
  public Path guestProfile(Uuid uuid) {
    return libvirtProfileDir().resolve(uuid.profileName());
  }

  /** {@code libvirt/libvirt-<uuid>.files}, which libvirt regenerates; svirtctl never writes it. */
  public Path filesList(Uuid uuid) {
    return libvirtProfileDir().resolve(uuid.profileName() + ".files");
  }

  public Path siteRulesLocal() {
    return layout.apparmorDir().resolve("local/abstractions/libvirt-qemu");
  }

  public Path siteRulesDropInDir() {
    return layout.apparmorDir().resolve("abstractions/libvirt-qemu.d");
  }

  public Path siteRulesDropIn() {
    return siteRulesDropInDir().resolve(DROP_IN_NAME);
  }

  public Path libvirtdProfile() {
    return layout.apparmorDir().resolve("usr.sbin.libvirtd");
  }

  /** The persistent domain XML directory. */
  public Path domainXmlDir() {
    return layout.libvirtDir().resolve("qemu");
  }

  /**
   * libvirt's status XML of every running guest, transient ones included ({@code <domstatus>}
   * around the {@code <domain>}); libvirt removes a guest's file when it stops.
   */
  public Path statusXmlDir() {
    return Path.of("/run/libvirt/qemu");
  }

  /** svirtctl's run lock. */
  public Path lockFile() {
    return layout.stateDir().resolve("lock");
  }

  /**
   * svirtctl's libvirt qemu hook script. libvirt 6.5 and later run every executable in {@code
   * hooks/qemu.d/} for each guest operation.
   */
  public Path qemuHook() {
    return libvirtHooksDir().resolve("qemu.d/svirtctl");
  }

  /** libvirt's hook directory: a script per driver ({@code qemu}) and, since 6.5, {@code qemu.d/}. */
  public Path libvirtHooksDir() {
    return layout.libvirtDir().resolve("hooks");
  }

  /** What the hook restores: the last applied guest modes, rules and template. */
  public Path hookRecord() {
    return layout.stateDir().resolve("hook/guests.json");
  }

  /** The hook's own log: what it restored, and any error it did not let block a guest start. */
  public Path hookLog() {
    return layout.stateDir().resolve("hook.log");
  }

  /**
   * Every directory svirtctl writes managed files into (absolute, inside the root: as seen from
   * there), where a crashed run may have left a temp file.
   */
  public List<Path> writtenDirectories() {
    return List.of(
        qemuConf().getParent(),
        libvirtProfileDir(),
        siteRulesLocal().getParent(),
        siteRulesDropInDir(),
        qemuHook().getParent(),
        hookRecord().getParent());
  }

  /** The directory holding one subdirectory per journaled run. */
  public Path journalDir() {
    return layout.stateDir().resolve("journal");
  }
}
