#!/usr/bin/env bash
# Backup and restore of the same store with Ura and with restic (Debian package, local
# repository on the same disk), same run, ratios printed (issue 6).
#
# The store: N Person entity versions written by ura_fill_entities, then `ura reindex` (so
# the store has its index, as a serving store does). Ura backs up what it needs (store.json,
# the wrapped keyring, the journal's segments) and restores by verifying the backup, copying,
# rebuilding the index and verifying deep (every entry decrypted, the index checked against
# the journal): the time printed for `ura restore` is the RTO, start to a verified store.
# restic gets the store directory twice: whole (journal + keys + index: a plain restore gives a
# usable store) and without the index (the same files Ura copies). Warm page cache for both.
# `ura restore --no-index-check` is timed too: the same without the index's cross-check.
#
#   bench/recovery_bench.sh [--count N] [--dir DIR] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=1000000
DIR=/tmp/ura-recovery-bench
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--count N] [--dir DIR] [--keep]" >&2; exit 2 ;;
  esac
done
URA=build/release/apps/ura
FILL=build/release/bench/ura_fill_entities
command -v restic >/dev/null || { echo "restic is missing: apt-get install restic" >&2; exit 2; }
export RESTIC_PASSWORD=recovery-bench-only
rm -rf "$DIR"; mkdir -p "$DIR"
S="$DIR/store"
"$URA" --data "$S" init --new-key-file "$DIR/key" >/dev/null
"$FILL" --data "$S" --key-file "$DIR/key" --count "$COUNT" --names "$DIR/names.csv"
"$URA" --data "$S" --key-file "$DIR/key" reindex >/dev/null
restic init -q --repo "$DIR/restic-all" >/dev/null
restic init -q --repo "$DIR/restic-journal" >/dev/null
sync

secs() { local start=$1; echo "$(date +%s.%N) - $start" | bc; }
timed() {  # timed VAR command...: runs the command, sets VAR to its wall time in seconds
  local var=$1; shift
  local start; start=$(date +%s.%N)
  "$@" >"$DIR/last.out" 2>"$DIR/last.err" || { cat "$DIR/last.out" "$DIR/last.err" >&2; exit 1; }
  printf -v "$var" '%s' "$(secs "$start")"
}

store_bytes=$(du -sb "$S" | cut -f1)
journal_bytes=$(du -sb "$S/journal" | cut -f1)
# Full backups.
timed ura_b "$URA" --data "$S" --key-file "$DIR/key" backup "$DIR/ura-backup"
timed ra_b restic -q --repo "$DIR/restic-all" backup "$S"
timed rj_b restic -q --repo "$DIR/restic-journal" backup "$S" --exclude "$S/index"
# Incremental: 1,000 new entries, then the same backups again.
seq 1 1000 | sed 's/.*/{"n":&}/' | "$URA" --data "$S" --key-file "$DIR/key" journal append >/dev/null
sync
timed ura_i "$URA" --data "$S" --key-file "$DIR/key" backup "$DIR/ura-backup"
timed ra_i restic -q --repo "$DIR/restic-all" backup "$S"
timed rj_i restic -q --repo "$DIR/restic-journal" backup "$S" --exclude "$S/index"
timed ura_n "$URA" --data "$S" --key-file "$DIR/key" backup "$DIR/ura-backup"  # nothing new
# Restores.
timed ura_r "$URA" --key-file "$DIR/key" --json restore "$DIR/ura-backup" --to "$DIR/ura-restored"
cp "$DIR/last.out" "$DIR/ura-restore.json"
timed ura_f "$URA" --key-file "$DIR/key" --json restore "$DIR/ura-backup" --to "$DIR/ura-restored-fast" --no-index-check
timed ra_r restic -q --repo "$DIR/restic-all" restore latest --target "$DIR/restic-all-restored"
timed rj_r restic -q --repo "$DIR/restic-journal" restore latest --target "$DIR/restic-journal-restored"
timed ura_c "$URA" backup --check --read-data "$DIR/ura-backup"

head_root=$("$URA" --data "$S" head --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_hash"])')
restored_root=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root_hash"])' "$DIR/ura-restore.json")
[ "$head_root" = "$restored_root" ] || { echo "restored root differs from the primary's" >&2; exit 1; }
parts=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("journal copy+verify %.1f s, index rebuild (every entry authenticated) %.1f s, index check against the journal %.1f s" % (d["seconds_journal"], d["seconds_index"], d["seconds"]-d["seconds_journal"]-d["seconds_index"]))' "$DIR/ura-restore.json")
backup_bytes=$(du -sb "$DIR/ura-backup" | cut -f1)
ra_bytes=$(du -sb "$DIR/restic-all" | cut -f1)
rj_bytes=$(du -sb "$DIR/restic-journal" | cut -f1)

r() { echo "$1 / $2" | bc -l; }
printf 'entities %d; store %.0f MB (journal %.0f MB); warm cache\n' "$COUNT" "$(r "$store_bytes" 1000000)" "$(r "$journal_bytes" 1000000)"
printf '%-44s %8s %8s %8s\n' "" "ura" "restic" "ura/restic"
printf '%-44s %8.2f %8.2f %8.2f\n' "full backup (restic: whole store dir)" "$ura_b" "$ra_b" "$(r "$ura_b" "$ra_b")"
printf '%-44s %8.2f %8.2f %8.2f\n' "full backup (restic: without the index)" "$ura_b" "$rj_b" "$(r "$ura_b" "$rj_b")"
printf '%-44s %8.2f %8.2f %8.2f\n' "incremental, +1,000 entries (whole dir)" "$ura_i" "$ra_i" "$(r "$ura_i" "$ra_i")"
printf '%-44s %8.2f %8.2f %8.2f\n' "incremental, +1,000 entries (no index)" "$ura_i" "$rj_i" "$(r "$ura_i" "$rj_i")"
printf '%-44s %8.2f\n' "ura backup, nothing new" "$ura_n"
printf '%-44s %8.2f %8.2f %8.2f\n' "restore (ura: + verify, reindex, deep verify)" "$ura_r" "$ra_r" "$(r "$ura_r" "$ra_r")"
printf '%-44s %8.2f %8.2f %8.2f\n' "restore vs restic without the index" "$ura_r" "$rj_r" "$(r "$ura_r" "$rj_r")"
printf '%-44s %8.2f %8.2f %8.2f\n' "restore --no-index-check (whole dir)" "$ura_f" "$ra_r" "$(r "$ura_f" "$ra_r")"
printf '%-44s %8.2f\n' "ura backup --check --read-data" "$ura_c"
printf 'ura restore parts: %s; restored root = primary root\n' "$parts"
printf 'repository bytes: ura %.0f MB, restic whole %.0f MB, restic no index %.0f MB\n' \
  "$(r "$backup_bytes" 1000000)" "$(r "$ra_bytes" 1000000)" "$(r "$rj_bytes" 1000000)"
printf 'goals: backup <= 0.5x restic: %s; restore <= 1x restic: %s; RTO %.1f s, %.1f s with --no-index-check (goal < 60 s at 1M)\n' \
  "$(echo "$ura_b <= 0.5 * $ra_b" | bc | sed 's/1/met/;s/0/not met/')" \
  "$(echo "$ura_r <= $ra_r" | bc | sed 's/1/met/;s/0/not met/')" "$ura_r" "$ura_f"
[ "$KEEP" = 1 ] || rm -rf "$DIR"
