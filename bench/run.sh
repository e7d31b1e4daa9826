#!/bin/sh
# svirtctl's benchmark against its peers. Not a test: it prints a table and never fails on a
# figure. Run it from a checkout after `mvn -B -q -DskipTests package`:
#
#   bench/run.sh                 # N = 10 100 1000 10000 guests, 5 cold runs each
#   bench/run.sh 10 1000         # chosen sizes
#   RUNS=7 bench/run.sh 1000     # more runs
#
# Every figure is the median over RUNS fresh processes of the whole process: wall time (s) and
# peak RSS (MiB) from /usr/bin/time. Each run that writes gets a fresh copy of the host, made
# and synced to disk before the clock starts. Needs python3, cc, javac, /usr/bin/time; the
# peers aa-complain (apparmor-utils) and augtool (augeas-tools) are measured when installed.
# Results also go to $WORK/results.tsv.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
fixtures=${SVIRTCTL_FIXTURES:-$repo/../shared/fixtures}
RUNS=${RUNS:-5}
PEER_RUNS_LARGE=${PEER_RUNS_LARGE:-3}   # peer runs at N >= 10000, where one call takes minutes
PER_FILE_SAMPLE=${PER_FILE_SAMPLE:-20}  # aa-complain once per file: files timed at N >= 1000
PER_FILE_SAMPLE_LARGE=${PER_FILE_SAMPLE_LARGE:-5}  # ... and at N >= 10000
WORK=${WORK:-${TMPDIR:-/tmp}/svirtctl-bench}
sizes=${*:-10 100 1000 10000}
svirtctl="$repo/bin/svirtctl"
parser=${APPARMOR_PARSER:-$(command -v apparmor_parser || echo /sbin/apparmor_parser)}
lens="$fixtures/libvirt/debian12-9.0.0/usr/share/augeas/lenses"
# The JVM flags bin/svirtctl uses, so the floor is the same JVM doing nothing.
jvm_flags="-XX:+UseParallelGC -XX:ParallelGCThreads=2 -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss1m -Xshare:auto"

[ -f "$repo/target/svirtctl.jar" ] || { echo "bench: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -d "$fixtures/libvirt/debian12-9.0.0" ] || { echo "bench: no fixtures at $fixtures" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/bin"
cc -O2 -pthread -o "$WORK/bin/diskfloor" "$here/diskfloor.c"
javac -d "$WORK/bin" "$here/Hello.java"
results="$WORK/results.tsv"
printf 'n\tscenario\twall_s\trss_mib\truns\tnote\n' > "$results"

cat > "$WORK/enforce.yaml" <<'YAML'
apiVersion: svirtctl/v1
kind: Host
qemu_conf:
  security_driver: apparmor
apparmor:
  template:
    flags: [attach_disconnected]
  guests:
    default_mode: enforce
    profiles: adopt
  reload: never
YAML
sed 's/default_mode: enforce/default_mode: complain/' "$WORK/enforce.yaml" > "$WORK/complain.yaml"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure N NAME RUNS FRESH NOTE -- COMMAND...: FRESH=1 copies $base to $work before each run.
# In COMMAND, @W@ is the fresh copy (or the base host), @FILES@ its guest profiles and
# @LFILES@ the same profiles as seen inside it (for --root @W@).
measure() {
  n=$1 name=$2 runs=$3 fresh=$4 note=$5
  shift 6
  : > "$WORK/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    target=$base
    if [ "$fresh" = 1 ]; then
      rm -rf "$work"
      cp -a "$base" "$work"
      target=$work
    fi
    sync
    cmd=$(printf '%s\n' "$*" | sed "s|@W@|$target|g; s|@FILES@|\$(cat '$WORK/files')|g; s|@LFILES@|\$(cat '$WORK/lfiles')|g")
    if [ -d "$target/etc/apparmor.d/libvirt" ]; then
      (cd "$target/etc/apparmor.d/libvirt" && ls | grep '^libvirt-' | grep -v '\.files$' |
        sed "s|^|/etc/apparmor.d/libvirt/|") > "$WORK/lfiles"
      sed "s|^|$target|" "$WORK/lfiles" > "$WORK/files"
    fi
    /usr/bin/time -f '%e %M' -o "$WORK/one" sh -c "$cmd" > "$WORK/out" 2>&1 || {
      echo "bench: $name failed (N=$n):" >&2; tail -5 "$WORK/out" >&2; }
    tail -1 "$WORK/one" >> "$WORK/times"
    i=$((i + 1))
  done
  wall=$(cut -d' ' -f1 < "$WORK/times" | median)
  rss=$(cut -d' ' -f2 < "$WORK/times" | median | awk '{ printf "%.0f", $1 / 1024 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$name" "$wall" "$rss" "$runs" "$note" >> "$results"
  printf '%6s  %-40s %8s s %6s MiB  (%s runs)%s\n' "$n" "$name" "$wall" "$rss" "$runs" "${note:+  $note}"
}

# aa-complain once per file, as a playbook loop does; sampled and scaled up for large N.
per_file() {
  n=$1 runs=$2
  rm -rf "$work"; cp -a "$base" "$work"; sync
  files=$(cd "$work/etc/apparmor.d/libvirt" && ls | grep '^libvirt-' | grep -v '\.files$')
  count=$n note=""
  if [ "$n" -ge 1000 ]; then
    count=$PER_FILE_SAMPLE
    [ "$n" -ge 10000 ] && count=$PER_FILE_SAMPLE_LARGE
    files=$(printf '%s\n' "$files" | head -n "$count")
    note="sampled $count files, scaled x$((n / count))"
  fi
  : > "$WORK/loop"
  for f in $files; do
    echo "aa-complain --no-reload -d '$work/etc/apparmor.d' '$work/etc/apparmor.d/libvirt/$f'" >> "$WORK/loop"
  done
  : > "$WORK/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    /usr/bin/time -f '%e %M' -o "$WORK/one" sh "$WORK/loop" > /dev/null 2>&1 || true
    tail -1 "$WORK/one" >> "$WORK/times"
    i=$((i + 1))
  done
  wall=$(cut -d' ' -f1 < "$WORK/times" | median | awk -v n="$n" -v c="$count" '{ printf "%.2f", $1 * n / c }')
  rss=$(cut -d' ' -f2 < "$WORK/times" | median | awk '{ printf "%.0f", $1 / 1024 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "aa-complain once per file" "$wall" "$rss" "$runs" "$note" >> "$results"
  printf '%6s  %-40s %8s s %6s MiB  (%s runs)%s\n' "$n" "aa-complain once per file" "$wall" "$rss" "$runs" "${note:+  $note}"
}

export SVIRTCTL_APPARMOR_PARSER="$parser"
echo "svirtctl bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPU(s), $(java -version 2>&1 | head -1)"
echo "     N  scenario                                  median wall     RSS"
for n in $sizes; do
  base="$WORK/host-$n"
  work="$WORK/work-$n"
  python3 "$here/gen-host.py" "$base" "$n" "$fixtures"
  # In sync before anything is measured: qemu.conf gets security_driver, profiles stay enforce.
  "$svirtctl" apply -f "$WORK/enforce.yaml" --host bench --root "$base" > /dev/null
  peer_runs=$RUNS
  [ "$n" -ge 10000 ] && peer_runs=$PEER_RUNS_LARGE

  measure "$n" "JVM floor (Java hello-world)" "$RUNS" 0 "" -- java $jvm_flags -cp "$WORK/bin" Hello
  measure "$n" "svirtctl plan (in sync)" "$RUNS" 0 "" -- "$svirtctl" plan -f "$WORK/enforce.yaml" --host bench --root @W@
  measure "$n" "svirtctl apply (in sync)" "$RUNS" 0 "" -- "$svirtctl" apply -f "$WORK/enforce.yaml" --host bench --root @W@ --no-reload
  measure "$n" "svirtctl apply (all guests -> complain)" "$RUNS" 1 "" -- "$svirtctl" apply -f "$WORK/complain.yaml" --host bench --root @W@ --no-reload
  measure "$n" "svirtctl profile-mode complain (N files)" "$RUNS" 1 "" -- "$svirtctl" profile-mode complain --no-reload --root @W@ @LFILES@
  measure "$n" "disk floor (C, fsync+rename N files)" "$RUNS" 1 "" -- "$WORK/bin/diskfloor" 8 @FILES@
  if command -v aa-complain > /dev/null; then
    measure "$n" "aa-complain --no-reload (one call)" "$peer_runs" 1 "" -- aa-complain --no-reload -d @W@/etc/apparmor.d @FILES@
    per_file "$n" "$([ "$n" -ge 1000 ] && echo 1 || echo "$peer_runs")"
  fi
  rm -rf "$work"
done

if command -v augtool > /dev/null; then
  # qemu.conf alone: augtool with libvirt's lens against svirtctl setting the same key.
  base="$WORK/qemu-only"
  work="$WORK/qemu-work"
  mkdir -p "$base/etc/libvirt"
  cp "$fixtures/libvirt/debian12-9.0.0/etc/libvirt/qemu.conf" "$base/etc/libvirt/"
  cat > "$WORK/driver.yaml" <<'YAML'
apiVersion: svirtctl/v1
kind: Host
qemu_conf:
  security_driver: apparmor
YAML
  printf '%s\n' "set /augeas/load/Libvirtd_qemu/lens Libvirtd_qemu.lns" \
    "set /augeas/load/Libvirtd_qemu/incl /etc/libvirt/qemu.conf" "load" \
    "set /files/etc/libvirt/qemu.conf/security_driver apparmor" "save" > "$WORK/aug.cmds"
  measure 0 "augtool set security_driver" "$RUNS" 1 "" -- augtool -r @W@ -I "$lens" --noautoload -f "$WORK/aug.cmds"
  measure 0 "svirtctl apply security_driver" "$RUNS" 1 "" -- "$svirtctl" apply -f "$WORK/driver.yaml" --host bench --root @W@ --no-reload
fi

echo
echo "Ratios (ours / peer):"
awk -F'\t' 'NR > 1 { v[$1 "|" $2] = $3; n[$1] = 1 }
  function r(a, b) { return (b + 0 > 0) ? sprintf("%.2f", a / b) : "n/a" }
  END {
    for (k in n) if (k != 0) sizes[++c] = k + 0
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (sizes[j] < sizes[i]) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
    for (i = 1; i <= c; i++) {
      s = sizes[i]
      floor = v[s "|JVM floor (Java hello-world)"]
      one = v[s "|aa-complain --no-reload (one call)"]
      loop = v[s "|aa-complain once per file"]
      disk = v[s "|disk floor (C, fsync+rename N files)"]
      ap = v[s "|svirtctl apply (all guests -> complain)"]
      pm = v[s "|svirtctl profile-mode complain (N files)"]
      printf "%6s  plan/JVM floor %s   apply->complain: /aa-complain one call %s, /per file %s, /disk floor %s   profile-mode: /aa-complain one call %s, /disk floor %s\n", s, r(v[s "|svirtctl plan (in sync)"], floor), r(ap, one), r(ap, loop), r(ap, disk), r(pm, one), r(pm, disk)
    }
    if (v["1000|svirtctl plan (in sync)"] != "" && v["10000|svirtctl plan (in sync)"] != "")
      printf "  1000 -> 10000 guests: plan x%s, apply->complain x%s, apply in sync x%s\n", r(v["10000|svirtctl plan (in sync)"], v["1000|svirtctl plan (in sync)"]), r(v["10000|svirtctl apply (all guests -> complain)"], v["1000|svirtctl apply (all guests -> complain)"]), r(v["10000|svirtctl apply (in sync)"], v["1000|svirtctl apply (in sync)"])
    if (v["0|augtool set security_driver"] != "")
      printf "  qemu.conf security_driver: svirtctl/augtool %s\n", r(v["0|svirtctl apply security_driver"], v["0|augtool set security_driver"])
  }' "$results"
echo "(results: $results)"
