#!/usr/bin/env bash
# Reindex rate: a store whose journal holds N Person entity versions (ura_fill_entities) is
# reindexed by `ura reindex` (decrypt every entry, parse, project, write the sealed index);
# in the same run the sqlite3 shell loads the same ids and names into a table with an FTS5
# index (.import), the cheapest "index of these people" SQLite itself can build.
# Prints entities/s, the ratio, and index bytes per entity.
#
#   bench/reindex_bench.sh [--count N] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=1000000
DIR=/tmp/ura-reindex-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    *) echo "usage: $0 [--count N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
URA=build/release/apps/ura
FILL=build/release/bench/ura_fill_entities
rm -rf "$DIR"; mkdir -p "$DIR"
"$URA" --data "$DIR/store" init --new-key-file "$DIR/key" >/dev/null
"$FILL" --data "$DIR/store" --key-file "$DIR/key" --count "$COUNT" --names "$DIR/names.csv"
sync
start=$(date +%s.%N)
"$URA" --data "$DIR/store" --key-file "$DIR/key" reindex >/dev/null
ura_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
sqlite3 "$DIR/peer.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
CREATE TABLE people(id TEXT PRIMARY KEY, name TEXT);
.import --csv --skip 1 $DIR/names.csv people
CREATE VIRTUAL TABLE people_fts USING fts5(name, content='people', tokenize='unicode61 remove_diacritics 2');
INSERT INTO people_fts(rowid, name) SELECT rowid, name FROM people;
SQL
peer_s=$(echo "$(date +%s.%N) - $start" | bc)
index_bytes=$(du -cb "$DIR/store/index/"* | tail -1 | cut -f1)
peer_bytes=$(du -cb "$DIR/peer.db"* | tail -1 | cut -f1)
printf 'entities %d\n' "$COUNT"
printf 'ura reindex      %8.1f s  %9.0f entities/s  %5.0f bytes/entity (sealed, all tables)\n' \
  "$ura_s" "$(echo "$COUNT / $ura_s" | bc -l)" "$(echo "$index_bytes / $COUNT" | bc -l)"
printf 'sqlite3 .import  %8.1f s  %9.0f names/s     %5.0f bytes/entity (id, name, FTS5)\n' \
  "$peer_s" "$(echo "$COUNT / $peer_s" | bc -l)" "$(echo "$peer_bytes / $COUNT" | bc -l)"
printf 'ratio (time) Ura / sqlite3: %.2fx; 10M entities at this rate: %.0f s (goal < 300 s)\n' \
  "$(echo "$ura_s / $peer_s" | bc -l)" "$(echo "10000000 * $ura_s / $COUNT" | bc -l)"
rm -rf "$DIR"
