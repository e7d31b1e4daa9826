/**
 * The applier: carries a Plan out under the lock, re-checks fingerprints, journals previous bytes, writes atomically, reloads profiles, rolls back.
 *
 * <p>May depend on: everything except {@code render} and {@code cli}.
 */
package io.svirtctl.apply;
