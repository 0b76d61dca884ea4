#!/usr/bin/env bash
# Keyless `ura verify` of a >= 1 GiB journal vs `openssl dgst -sha256` over the same segment
# files, same run (issue 2). Builds nothing.
#
#   bench/verify_bench.sh [--floor] [--keep] [--store DIR] [URA] [MIB]
#
#   URA      path to the ura binary (default build/release/apps/ura); ura_fill_journal and
#            ura_verify_floor are looked for in URA's ../bench directory (or $URA_BENCH_BIN)
#   MIB      journal size in MiB (default 1100)
#   --store  reuse a store made by an earlier --keep run (no init, no fill)
#   --keep   leave the store (and its key file) behind
#   --floor  also run ura_verify_floor: each component of verify timed on its own
#
# The store is filled with 174-byte random payloads, so zstd keeps them raw and every entry
# frame is 250 bytes (48 header + 12 nonce + 174 + 16 tag), in batches of 1,000 (one signed
# head each). Each tool is then timed best of 3 (bash `time`, wall clock) twice: cold, with
# the page cache dropped before every run (if /proc/sys/vm/drop_caches may be written; in a
# container it often may not), and warm, every run reading the files from the page cache
# (a `cat` of all of them before each run) -- the warm table compares hashing work alone.
# "other CPU s" is the CPU time other processes used during the fastest run: on a 2-core
# machine anything well above 0 means the figures (the 2-thread one above all) are too slow.
set -euo pipefail

FLOOR=0 KEEP=0 STORE=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --floor) FLOOR=1 ;;
    --keep) KEEP=1 ;;
    --store) STORE=$2; shift ;;
    *) echo "usage: $0 [--floor] [--keep] [--store DIR] [URA] [MIB]" >&2; exit 2 ;;
  esac
  shift
done
URA=$(realpath "${1:-build/release/apps/ura}")
MIB=${2:-1100}
BIN=${URA_BENCH_BIN:-$(realpath "$(dirname "$URA")/../bench")}
[[ -x $URA ]] || { echo "no ura binary at $URA" >&2; exit 2; }

if [[ -z $STORE ]]; then
  [[ -x $BIN/ura_fill_journal ]] || { echo "no $BIN/ura_fill_journal (build the bench targets)" >&2; exit 2; }
  WORK=$(mktemp -d /tmp/ura-verify-bench-XXXXXX)
  STORE=$WORK/store
  if [[ $KEEP == 0 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
  "$URA" --data "$STORE" init --new-key-file "$WORK/key" >/dev/null
  "$BIN/ura_fill_journal" --data "$STORE" --key-file "$WORK/key" --mib "$MIB"
  [[ $KEEP == 1 ]] && echo "store kept in $STORE (key file $WORK/key)"
fi
J=$STORE/journal
SEGS=("$J"/seg-*.ura)
BYTES=$(cat "${SEGS[@]}" | wc -c)
echo "journal: ${#SEGS[@]} segment files, $BYTES bytes ($((BYTES >> 20)) MiB)"
ls -l "$J" | sed -n 1,4p
echo "  ..."

TIMEFORMAT="%R %U %S"
HZ=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# best_of3 PREPARE CMD...: runs PREPARE then times CMD, three times; prints the fastest
# wall-clock time and, for that run, the CPU seconds other processes used meanwhile (busy
# CPU time on the machine minus CMD's own user + sys time); fails if CMD fails.
best_of3() {
  local prep=$1 best="" other="" t b0 b1 o
  shift
  for _ in 1 2 3; do
    $prep
    b0=$(busy_jiffies)
    t=$( { time "$@" > /dev/null; } 2>&1 ) || { echo "failed: $*" >&2; exit 1; }
    b1=$(busy_jiffies)
    t=${t##*$'\n'}
    o=$(awk -v t="$t" -v d=$((b1 - b0)) -v hz="$HZ" 'BEGIN {split(t, x, " "); o = d / hz - x[2] - x[3]; printf "%.2f", o < 0 ? 0 : o}')
    t=${t%% *}
    if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t other=$o; fi
  done
  echo "$best $other"
}
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# busy_pct: percent of all CPUs busy over the next second (others compiling, say).
busy_pct() {
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8)) b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8))
  echo $(( 100 * ((b - b4 - b5) - (a - a4 - a5)) / (b - a) ))
}
warm() { cat "${SEGS[@]}" > /dev/null; }

# table LABEL PREPARE: times the three tools and prints a table of seconds, GB/s and ratios.
table() {
  local label=$1 prep=$2 r_ssl r_u1 r_u2
  r_ssl=$(best_of3 "$prep" openssl dgst -sha256 "${SEGS[@]}")
  r_u1=$(best_of3 "$prep" "$URA" --data "$STORE" verify --threads 1)
  r_u2=$(best_of3 "$prep" "$URA" --data "$STORE" verify --threads 2)
  echo
  echo "cache: $label"
  awk -v b="$BYTES" -v rs="$r_ssl" -v r1="$r_u1" -v r2="$r_u2" 'BEGIN {
    split(rs, S, " "); split(r1, U1, " "); split(r2, U2, " ")
    s = S[1]; u1 = U1[1]; u2 = U2[1]
    printf "%-32s %8s %6s %10s  %-30s %s\n", "best of 3", "seconds", "GB/s", "x openssl", "goal", "other CPU s"
    printf "%-32s %8.3f %6.2f %10s  %-30s %s\n", "openssl dgst -sha256 (1 thread)", s, b / s / 1e9, "1.00", "", S[2]
    printf "%-32s %8.3f %6.2f %10.2f  %-30s %s\n", "ura verify --threads 1", u1, b / u1 / 1e9, u1 / s,
           (u1 / s <= 1.6 ? "<= 1.6: met" : sprintf("<= 1.6: NOT met (%.0f%% over)", (u1 / s / 1.6 - 1) * 100)), U1[2]
    printf "%-32s %8.3f %6.2f %10.2f  %-30s %s\n", "ura verify --threads 2", u2, b / u2 / 1e9, u2 / s,
           (u2 / s <= 0.9 ? "<= 0.9: met" : sprintf("<= 0.9: NOT met (%.0f%% over)", (u2 / s / 0.9 - 1) * 100)), U2[2]
  }'
}

echo "intact check: $("$URA" --data "$STORE" verify --threads 2 | sed -n 1p)"
echo
echo "date     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit   $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$(dirname "$0")" diff --quiet HEAD -- ../src 2>/dev/null || echo ' (+ uncommitted changes in src/)')"
echo "machine  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), sha_ni: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(openssl version)"
echo "load     CPUs $(busy_pct)% busy in the second before the timed runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"

if (drop_caches) 2>/dev/null; then
  table "cold: page cache dropped before every timed run" drop_caches
else
  echo
  echo "cache: drop_caches is not permitted here, so no cold-cache figures"
fi
warm
table "warm: every run reads the segment files from the page cache" warm
echo
echo "load     CPUs $(busy_pct)% busy in the second after the timed runs"

if [[ $FLOOR == 1 ]]; then
  echo
  "$BIN/ura_verify_floor" --data "$STORE"
fi
