package io.svirtctl.qemuconf;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The value rules of libvirt's QEMU driver (virQEMUDriverConfigLoadFile and the virConfGetValue*
 * getters of libvirt 9.0 to 11.3), one key at a time. Messages follow libvirt's wording.
 */
final class KeyRules {

  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger UINT_MAX = BigInteger.valueOf(0xFFFF_FFFFL);
  private static final BigInteger ULLONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private KeyRules() {}

  static Optional<String> check(KeySpec spec, QemuValue value) {
    String k = spec.name();
    Optional<String> typed = checkType(spec, value);
    if (typed.isPresent()) {
      return typed;
    }
    // libvirt's QEMU driver refuses a repeated security driver before it looks at the names.
    if (k.equals("security_driver")) {
      Set<String> seen = new HashSet<>();
      for (String s : strings(value)) {
        if (!seen.add(s)) {
          return Optional.of("Duplicate security driver " + s);
        }
      }
    }
    if (!spec.allowed().isEmpty()) {
      for (String s : strings(value)) {
        if (!spec.allowed().contains(s)) {
          return Optional.of(unknownValue(k, s, spec.allowed()));
        }
      }
    }
    if (k.equals("allow_disk_format_probing") && value instanceof QemuValue.Int i
        && i.value().signum() != 0) {
      return Optional.of("allow_disk_format_probing is no longer supported");
    }
    return Optional.empty();
  }

  /** libvirt's own message for a name it does not know, where it has one. */
  private static String unknownValue(String key, String value, List<String> allowed) {
    return switch (key) {
      case "cgroup_controllers" -> "Unknown cgroup controller '" + value + "'";
      case "namespaces" -> "Unknown namespace: " + value;
      case "stdio_handler" -> "Unknown stdio handler " + value;
      case "sched_core" -> "Unknown sched_core value " + value;
      // Checked by libvirt only at security-driver init, after the file loaded.
      case "security_driver" -> "Security driver " + value + " not found";
      default -> "unknown value '" + value + "' for '" + key + "' parameter (allowed: "
          + String.join(", ", allowed) + ")";
    };
  }

  private static Optional<String> checkType(KeySpec spec, QemuValue value) {
    String k = spec.name();
    switch (spec.type()) {
      case BOOL -> {
        if (!(value instanceof QemuValue.Int i) || i.signed()) {
          return Optional.of("expected a bool for '" + k + "' parameter");
        }
        if (i.value().compareTo(BigInteger.ONE) > 0) {
          return Optional.of("value for '" + k + "' parameter must be 0 or 1");
        }
      }
      case INT -> {
        if (!(value instanceof QemuValue.Int i)) {
          return Optional.of("expected a signed integer for '" + k + "' parameter");
        }
        if (i.value().compareTo(INT_MIN) < 0 || i.value().compareTo(INT_MAX) > 0) {
          return Optional.of(
              "value for '" + k + "' parameter must be in range "
                  + Integer.MIN_VALUE + ":" + Integer.MAX_VALUE);
        }
      }
      case UINT -> {
        if (!(value instanceof QemuValue.Int i) || i.signed()) {
          return Optional.of("expected an unsigned integer for '" + k + "' parameter");
        }
        if (i.value().compareTo(UINT_MAX) > 0) {
          return Optional.of("value for '" + k + "' parameter must be in range 0:" + UINT_MAX);
        }
      }
      case STRING -> {
        if (!(value instanceof QemuValue.Str)) {
          return Optional.of("expected a string for '" + k + "' parameter");
        }
      }
      case STRING_LIST -> {
        if (!(value instanceof QemuValue.Lst l) || !allStrings(l)) {
          return Optional.of("expected a string list for '" + k + "' parameter");
        }
      }
      case STRING_OR_LIST -> {
        if (value instanceof QemuValue.Lst l && !allStrings(l)) {
          return Optional.of("expected a string list for '" + k + "' parameter");
        }
        if (value instanceof QemuValue.Int) {
          return Optional.of("expected a string or string list for '" + k + "' parameter");
        }
      }
      case LIMIT -> {
        if (value instanceof QemuValue.Str s) {
          if (!s.value().equals("unlimited")) {
            return Optional.of("Unknown core size '" + s.value() + "'");
          }
        } else if (!(value instanceof QemuValue.Int i) || i.signed()) {
          return Optional.of("expected an unsigned integer for '" + k + "' parameter");
        } else if (i.value().compareTo(ULLONG_MAX) > 0) {
          return Optional.of("value for '" + k + "' parameter must be in range 0:" + ULLONG_MAX);
        }
      }
      default -> throw new IllegalStateException("unhandled type " + spec.type());
    }
    return Optional.empty();
  }

  private static boolean allStrings(QemuValue.Lst l) {
    return l.items().stream().allMatch(QemuValue.Str.class::isInstance);
  }

  private static List<String> strings(QemuValue value) {
    if (value instanceof QemuValue.Str s) {
      return List.of(s.value());
    }
    if (value instanceof QemuValue.Lst l) {
      return l.items().stream()
          .filter(QemuValue.Str.class::isInstance)
          .map(v -> ((QemuValue.Str) v).value())
          .toList();
    }
    return List.of();
  }
}
