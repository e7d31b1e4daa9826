#!/bin/sh
# What the whole-effect profile check costs `svirtctl plan` (not a test: prints a table, never
# fails on a figure). Run from a checkout after `mvn -B -q -DskipTests package`:
#
#   bench/check.sh              # N = 10 1000 guests, 5 runs each
#   RUNS=7 bench/check.sh 100   # chosen sizes and runs
#
# Scenarios on a host built by gen-host.py: "qemu" changes one qemu.conf key (no AppArmor file
# changes, nothing compiled); "site" changes the site rules, so the host's AppArmor tree is
# copied outside the root and the template and every guest shape that includes the site rules
# are compiled (guests that differ only in their UUID once). Figures are medians of the whole
# process's wall time (s), and the number of apparmor_parser runs of one plan.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
fixtures=${SVIRTCTL_FIXTURES:-$repo/../shared/fixtures}
RUNS=${RUNS:-5}
WORK=${WORK:-${TMPDIR:-/tmp}/svirtctl-bench-check}
sizes=${*:-10 1000}
parser=${APPARMOR_PARSER:-$(command -v apparmor_parser || echo /sbin/apparmor_parser)}

[ -f "$repo/target/svirtctl.jar" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
printf 'apiVersion: svirtctl/v1\nkind: Host\nqemu_conf:\n  max_files: 4096\n' > "$WORK/qemu.yaml"
printf 'apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  site_rules: ["/srv/images/** rwk,"]\n' > "$WORK/site.yaml"
# A parser that counts its runs, then runs the real one.
printf '#!/bin/sh\necho run >> "%s/calls"\nexec "%s" "$@"\n' "$WORK" "$parser" > "$WORK/parser"
chmod +x "$WORK/parser"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-6s %-6s %-8s %s\n' n scenario wall_s parser_runs
for n in $sizes; do
  root="$WORK/host-$n"
  python3 "$here/gen-host.py" "$root" "$n" "$fixtures" > /dev/null
  for scenario in qemu site; do
    : > "$WORK/times"
    rm -f "$WORK/calls"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
      SVIRTCTL_APPARMOR_PARSER="$WORK/parser" /usr/bin/time -f %e -a -o "$WORK/times" \
        "$repo/bin/svirtctl" plan -f "$WORK/$scenario.yaml" --host bench --root "$root" > /dev/null
      i=$((i + 1))
    done
    runs=$(( $( [ -f "$WORK/calls" ] && wc -l < "$WORK/calls" || echo 0) / RUNS ))
    printf '%-6s %-6s %-8s %s\n' "$n" "$scenario" "$(median < "$WORK/times")" "$runs"
  done
done
