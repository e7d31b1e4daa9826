/**
 * Text, JSON and unified-diff renderings of a Plan or an apply result. Formats only; decides nothing.
 *
 * <p>May depend on: everything except {@code cli}.
 */
package io.svirtctl.render;
