package io.svirtctl.qemuconf;

/** The type libvirt's QEMU driver reads a qemu.conf key as (its virConfGetValue* getter). */
public enum ValueType {
  /** {@code virConfGetValueBool}: an unsigned integer, 0 or 1. */
  BOOL,
  /** {@code virConfGetValueInt}: a signed or unsigned integer within C int. */
  INT,
  /** {@code virConfGetValueUInt}: an unsigned integer within C unsigned int. */
  UINT,
  /** {@code virConfGetValueString}: a string. */
  STRING,
  /** {@code virConfGetValueStringList} without compat: a list of strings. */
  STRING_LIST,
  /** {@code virConfGetValueStringList} with compat: a string or a list of strings. */
  STRING_OR_LIST,
  /** {@code max_core}: an unsigned 64-bit integer or the string "unlimited". */
  LIMIT
}
