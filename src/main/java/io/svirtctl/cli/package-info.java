/**
 * The picocli commands, the exit-code mapping and the tool's own settings (Apache Commons Configuration). The only place that prints, exits or knows about picocli.
 *
 * <p>May depend on: everything. Nothing depends on it.
 */
package io.svirtctl.cli;
