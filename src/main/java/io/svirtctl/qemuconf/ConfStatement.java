package io.svirtctl.qemuconf;

/**
 * One statement of a parsed qemu.conf, as libvirt's virConf parser sees it: an entry or a
 * standalone comment. Offsets are char indexes into the document text.
 */
sealed interface ConfStatement permits ConfEntry, ConfComment {

  /** Index of the statement's first char (the key, or the {@code #} of a comment). */
  int start();

  /** Index just past the statement (past its trailing comment, if any). */
  int end();
}
