#!/bin/sh
# svirtctl learn against Debian's python3-apparmor log parser on the same generated audit log.
# Not a test: it prints figures and never fails on one. Run it from a checkout after
# `mvn -B -q -DskipTests package`:
#
#   bench/learn.sh               # a 1024 MiB log, 3 runs of each
#   bench/learn.sh 100 1024      # chosen sizes (MiB)
#   RUNS=5 bench/learn.sh        # more runs
#
# The log comes from bench/learn-gen.py (libvirt guests' ALLOWED/DENIED records of every kind
# learn reads, other profiles, STATUS/AUDIT records, other subsystems' audit records). The peer
# is bench/learn-peer.py under /usr/bin/python3, which has the apparmor module: it streams the
# file through the parser the distribution's log tool uses. Every figure is the median over RUNS
# fresh processes: wall time, CPU time (user + system) and peak RSS from /usr/bin/time. Rates
# are AppArmor records (lines with apparmor=) per second of wall time and of CPU time.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
RUNS=${RUNS:-3}
WORK=${WORK:-${TMPDIR:-/tmp}/svirtctl-bench-learn}
sizes=${*:-1024}
svirtctl="$repo/bin/svirtctl"
peer_python=/usr/bin/python3

[ -f "$repo/target/svirtctl.jar" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
"$peer_python" -c 'import apparmor.logparser' 2>/dev/null ||
  { echo "bench: $peer_python lacks the apparmor module (apt-get install python3-apparmor)" >&2; exit 1; }

mkdir -p "$WORK/root"
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME RUNS -- COMMAND...: prints "wall cpu rss_mib" medians; output of the last run in $WORK/out
measure() {
  name=$1 runs=$2
  shift 3
  : > "$WORK/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/one" "$@" > "$WORK/out" 2>&1 || {
      echo "bench: $name failed:" >&2; tail -5 "$WORK/out" >&2; }
    tail -1 "$WORK/one" >> "$WORK/times"
    i=$((i + 1))
  done
  wall=$(cut -d' ' -f1 < "$WORK/times" | median)
  cpu=$(awk '{ print $2 + $3 }' < "$WORK/times" | median)
  rss=$(cut -d' ' -f4 < "$WORK/times" | median | awk '{ printf "%.0f", $1 / 1024 }')
  echo "$wall $cpu $rss"
}

echo "svirtctl learn bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
printf '%6s  %-26s %9s %9s %8s %14s %14s\n' MiB tool "wall s" "cpu s" "RSS MiB" "records/s wall" "records/s cpu"
for size in $sizes; do
  log="$WORK/audit-$size.log"
  if [ ! -f "$log" ]; then
    python3 "$here/learn-gen.py" "$log" "$size" > "$WORK/gen.out"
  fi
  records=$(grep -c 'apparmor=' "$log")
  sync
  set -- $(measure "svirtctl learn" "$RUNS" -- "$svirtctl" learn --root "$WORK/root" --log "$log" -o json)
  ours_wall=$1 ours_cpu=$2 ours_rss=$3
  ours_counts=$(sed -n 's/.*"records":{\([^}]*\)}.*/\1/p' "$WORK/out")
  set -- $(measure "python3-apparmor" "$RUNS" -- "$peer_python" "$here/learn-peer.py" "$log")
  peer_wall=$1 peer_cpu=$2 peer_rss=$3
  peer_counts=$(tail -1 "$WORK/out")
  awk -v s="$size" -v n="$records" -v ow="$ours_wall" -v oc="$ours_cpu" -v orss="$ours_rss" \
      -v pw="$peer_wall" -v pc="$peer_cpu" -v prss="$peer_rss" 'BEGIN {
    printf "%6s  %-26s %9.2f %9.2f %8s %14.0f %14.0f\n", s, "svirtctl learn", ow, oc, orss, n / ow, n / oc
    printf "%6s  %-26s %9.2f %9.2f %8s %14.0f %14.0f\n", s, "python3-apparmor logparser", pw, pc, prss, n / pw, n / pc
    printf "%6s  ratio (learn / peer rate): %.1fx by wall time, %.1fx by CPU time; %d records\n", s, pw / ow, pc / oc, n
  }'
  echo "        learn: $ours_counts; peer: $peer_counts"
done
