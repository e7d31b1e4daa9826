/**
 * The pure planner (desired state x host snapshot to Plan) and the sealed Change types. Does no I/O.
 *
 * <p>May depend on: the root package, {@code state}, {@code qemuconf}, {@code apparmor}, {@code host} (snapshot value types only).
 */
package io.svirtctl.plan;
