#!/bin/sh
# The main job on the demo hypervisor: validate the desired state, show the guests' status and
# the plan, apply it, prove a second apply changes nothing, show the status again, then ask
# doctor whether confinement is in force.
# It works on a scratch copy of the demo host in its own temporary directory (removed at exit),
# so the tree in the repository stays as shipped and two users never share a copy.
# The demo's /sys is a stand-in (there is no AppArmor kernel to load profiles into here),
# so apply runs with --no-reload.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
svirtctl="$here/../../bin/svirtctl"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/svirtctl-demo.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
work="$scratch/root"
cp -R "$here/root" "$work"

step() { printf '\n== %s\n' "$*"; }

step "svirtctl validate"
"$svirtctl" validate -f "$here/state.yaml" --host demo-hv01
step "svirtctl status: the guests before (host copied to $work)"
"$svirtctl" status -f "$here/state.yaml" --host demo-hv01 --root "$work"
step "svirtctl plan"
"$svirtctl" plan -f "$here/state.yaml" --host demo-hv01 --root "$work"
step "svirtctl apply --diff"
"$svirtctl" apply -f "$here/state.yaml" --host demo-hv01 --root "$work" --diff --no-reload
step "svirtctl apply again: nothing to do"
"$svirtctl" apply -f "$here/state.yaml" --host demo-hv01 --root "$work" --no-reload --detailed-exitcode
step "svirtctl status: the guests after"
"$svirtctl" status -f "$here/state.yaml" --host demo-hv01 --root "$work"
step "svirtctl doctor"
"$svirtctl" doctor --root "$work" || true
step "svirtctl history"
"$svirtctl" history --root "$work"
