package io.svirtctl.qemuconf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every qemu.conf key of libvirt 11.3.0's augeas lens ({@code libvirtd_qemu.aug}), with the type
 * the QEMU driver reads it as and the values it restricts. Keys outside the catalog are kept
 * untouched in files but refused in a desired state.
 */
public final class KeyCatalog {

  private static final KeyCatalog LIBVIRT = new KeyCatalog(specs());

  private final Map<String, KeySpec> byName;

  private KeyCatalog(List<KeySpec> specs) {
    Map<String, KeySpec> m = new LinkedHashMap<>();
    for (KeySpec s : specs) {
      if (m.put(s.name(), s) != null) {
        throw new IllegalStateException("duplicate catalog key " + s.name());
      }
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The catalog of libvirt 11.3.0 (a superset of 9.0.0's keys). */
  public static KeyCatalog libvirt() {
    return LIBVIRT;
  }

  /** The spec of a key, if libvirt knows it. Key names are case-sensitive, as in libvirt. */
  public Optional<KeySpec> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every key name, in the lens's order. */
  public Set<String> names() {
    return byName.keySet();
  }

  private static List<KeySpec> specs() {
    return List.of(
        KeySpec.of("default_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("default_tls_x509_verify", ValueType.BOOL),
        KeySpec.of("default_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("vnc_listen", ValueType.STRING),
        KeySpec.of("vnc_auto_unix_socket", ValueType.BOOL),
        KeySpec.of("vnc_tls", ValueType.BOOL),
        KeySpec.of("vnc_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("vnc_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("vnc_tls_x509_verify", ValueType.BOOL),
        KeySpec.of("vnc_password", ValueType.STRING),
        KeySpec.of("vnc_sasl", ValueType.BOOL),
        KeySpec.of("vnc_sasl_dir", ValueType.STRING),
        KeySpec.of("vnc_allow_host_audio", ValueType.BOOL),
        KeySpec.of("spice_listen", ValueType.STRING),
        KeySpec.of("spice_tls", ValueType.BOOL),
        KeySpec.of("spice_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("spice_auto_unix_socket", ValueType.BOOL),
        KeySpec.of("spice_password", ValueType.STRING),
        KeySpec.of("spice_sasl", ValueType.BOOL),
        KeySpec.of("spice_sasl_dir", ValueType.STRING),
        KeySpec.of("rdp_listen", ValueType.STRING),
        KeySpec.of("rdp_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("rdp_username", ValueType.STRING),
        KeySpec.of("rdp_password", ValueType.STRING),
        KeySpec.of("chardev_tls", ValueType.BOOL),
        KeySpec.of("chardev_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("chardev_tls_x509_verify", ValueType.BOOL),
        KeySpec.of("chardev_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("migrate_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("migrate_tls_x509_verify", ValueType.BOOL),
        KeySpec.of("migrate_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("migrate_tls_force", ValueType.BOOL),
        KeySpec.of("backup_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("backup_tls_x509_verify", ValueType.BOOL),
        KeySpec.of("backup_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("vxhs_tls", ValueType.BOOL),
        KeySpec.of("vxhs_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("vxhs_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("nbd_tls", ValueType.BOOL),
        KeySpec.of("nbd_tls_x509_cert_dir", ValueType.STRING),
        KeySpec.of("nbd_tls_x509_secret_uuid", ValueType.STRING),
        KeySpec.of("nographics_allow_host_audio", ValueType.BOOL),
        KeySpec.of("remote_display_port_min", ValueType.UINT),
        KeySpec.of("remote_display_port_max", ValueType.UINT),
        KeySpec.of("remote_websocket_port_min", ValueType.UINT),
        KeySpec.of("remote_websocket_port_max", ValueType.UINT),
        new KeySpec("security_driver", ValueType.STRING_OR_LIST, List.of("selinux", "apparmor", "none"), false),
        KeySpec.of("security_default_confined", ValueType.BOOL),
        KeySpec.of("security_require_confined", ValueType.BOOL),
        KeySpec.of("user", ValueType.STRING),
        KeySpec.of("group", ValueType.STRING),
        KeySpec.of("dynamic_ownership", ValueType.BOOL),
        KeySpec.of("remember_owner", ValueType.BOOL),
        new KeySpec("cgroup_controllers", ValueType.STRING_LIST, List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "net_cls", "perf_event", "name=systemd"), false),
        KeySpec.of("cgroup_device_acl", ValueType.STRING_LIST),
        KeySpec.of("seccomp_sandbox", ValueType.INT),
        new KeySpec("namespaces", ValueType.STRING_LIST, List.of("mount"), false),
        KeySpec.of("save_image_format", ValueType.STRING),
        KeySpec.of("dump_image_format", ValueType.STRING),
        KeySpec.of("snapshot_image_format", ValueType.STRING),
        KeySpec.of("auto_dump_path", ValueType.STRING),
        KeySpec.of("auto_dump_bypass_cache", ValueType.BOOL),
        KeySpec.of("auto_start_bypass_cache", ValueType.BOOL),
        KeySpec.of("auto_start_delay", ValueType.UINT),
        KeySpec.of("auto_shutdown_try_save", ValueType.STRING),
        KeySpec.of("auto_shutdown_try_shutdown", ValueType.STRING),
        KeySpec.of("auto_shutdown_poweroff", ValueType.STRING),
        KeySpec.of("auto_shutdown_wait", ValueType.UINT),
        KeySpec.of("auto_shutdown_restore", ValueType.BOOL),
        KeySpec.of("auto_save_bypass_cache", ValueType.BOOL),
        KeySpec.of("hugetlbfs_mount", ValueType.STRING_OR_LIST),
        KeySpec.of("bridge_helper", ValueType.STRING),
        KeySpec.of("pr_helper", ValueType.STRING),
        KeySpec.of("slirp_helper", ValueType.STRING),
        KeySpec.of("qemu_rdp", ValueType.STRING),
        KeySpec.of("dbus_daemon", ValueType.STRING),
        KeySpec.of("set_process_name", ValueType.BOOL),
        KeySpec.of("max_processes", ValueType.UINT),
        KeySpec.of("max_files", ValueType.UINT),
        KeySpec.of("max_core", ValueType.LIMIT),
        KeySpec.of("dump_guest_core", ValueType.BOOL),
        new KeySpec("stdio_handler", ValueType.STRING, List.of("logd", "file"), false),
        KeySpec.of("max_threads_per_process", ValueType.UINT),
        new KeySpec("sched_core", ValueType.STRING, List.of("none", "vcpus", "emulator", "full"), false),
        KeySpec.of("mac_filter", ValueType.BOOL),
        KeySpec.of("relaxed_acs_check", ValueType.BOOL),
        KeySpec.of("allow_disk_format_probing", ValueType.BOOL),
        KeySpec.of("lock_manager", ValueType.STRING),
        KeySpec.of("max_queued", ValueType.UINT),
        KeySpec.of("keepalive_interval", ValueType.INT),
        KeySpec.of("keepalive_count", ValueType.UINT),
        KeySpec.of("migration_address", ValueType.STRING),
        KeySpec.of("migration_port_min", ValueType.UINT),
        KeySpec.of("migration_port_max", ValueType.UINT),
        KeySpec.of("migration_host", ValueType.STRING),
        KeySpec.of("log_timestamp", ValueType.BOOL),
        KeySpec.of("nvram", ValueType.STRING_LIST),
        KeySpec.of("gluster_debug_level", ValueType.UINT),
        KeySpec.of("virtiofsd_debug", ValueType.BOOL),
        KeySpec.of("deprecation_behavior", ValueType.STRING),
        KeySpec.of("memory_backing_dir", ValueType.STRING),
        KeySpec.of("swtpm_user", ValueType.STRING),
        KeySpec.of("swtpm_group", ValueType.STRING),
        KeySpec.of("capability_filters", ValueType.STRING_LIST),
        KeySpec.of("storage_use_nbdkit", ValueType.BOOL),
        KeySpec.of("shared_filesystems", ValueType.STRING_LIST),
        new KeySpec("clear_emulator_capabilities", ValueType.BOOL, List.of(), true));
  }
}
