package io.svirtctl.host;

/**
 * The daemon that runs libvirt's QEMU driver, and so must restart to read a changed qemu.conf: the
 * monolithic {@code libvirtd}, or the modular {@code virtqemud} (libvirt 7+ with modular daemons
 * enabled).
 */
public enum Daemon {
  LIBVIRTD("libvirtd"),
  VIRTQEMUD("virtqemud");

  private final String serviceName;

  Daemon(String serviceName) {
    this.serviceName = serviceName;
  }

  /** The systemd service name, as reported in {@code restart_required}. */
  public String serviceName() {
    return serviceName;
  }
}
