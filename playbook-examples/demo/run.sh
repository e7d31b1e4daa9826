#!/bin/sh
# Runs svirtctl on a scratch copy of the demo host, so the tree in the repository stays as shipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/svirtctl-demo
rm -rf "$work"
cp -R "$here/root" "$work"
"$here/../../bin/svirtctl" --version
"$here/../../bin/svirtctl" validate -f "$here/state.yaml" --host demo-hv
echo "demo host copied to $work"
