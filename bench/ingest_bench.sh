#!/usr/bin/env bash
# Ingest benchmark (issue 3): Ura ingesting the generated CSV exports vs `sqlite3 .import` of
# the same CSV files into a table with an FTS5 index on the name column, in the same run.
# Also checks that ingest's peak memory does not grow with file size (two sizes).
#
#   bench/ingest_bench.sh [--persons N] [--ura PATH]      (default N = 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=1000000
URA=build/release/apps/ura
while [ $# -gt 0 ]; do
  case "$1" in
    --persons) PERSONS=$2; shift 2 ;;
    --ura) URA=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/ura-ingest-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
echo "ura ingest benchmark: $PERSONS persons, $(nproc) cores, $(sqlite3 --version | cut -d' ' -f1) sqlite3"
"$URA" generate --out "$WORK/data" --persons "$PERSONS" --seed 7 > /dev/null
"$URA" generate --out "$WORK/small" --persons $((PERSONS / 10)) --seed 7 > /dev/null

# The CSV sources and the column that holds a name in each.
declare -A NAME_COLUMN=([border/crossings.csv]=surname [vehicles/registry.csv]=owner_name [fiu/transactions.csv]=payer_name)
declare -A MAPPING=([border/crossings.csv]=mappings/border.yml [vehicles/registry.csv]=mappings/vehicles.yml [fiu/transactions.csv]=mappings/fiu-transactions.yml)
declare -A DELIM=([border/crossings.csv]=';' [vehicles/registry.csv]=',' [fiu/transactions.csv]=',')

ura_store() {
  rm -rf "$1" "$1.key"
  "$URA" --data "$1" init --new-key-file "$1.key" > /dev/null
}

printf '\n%-24s %10s %12s %12s %12s %8s\n' file rows "ura s" "ura rows/s" "sqlite rows/s" ratio
total_rows=0; total_ura=0; total_sql=0
for f in border/crossings.csv vehicles/registry.csv fiu/transactions.csv; do
  src="$WORK/data/$f"
  [ -f "$src" ] || continue
  rows=$(($(wc -l < "$src") - 1))
  # Ura: a fresh store per file, so each figure is one source into an empty store.
  ura_store "$WORK/store"
  t0=$(now)
  "$URA" --data "$WORK/store" --key-file "$WORK/store.key" ingest --mapping "${MAPPING[$f]}" "$src" > "$WORK/ura.out" || true
  t1=$(now)
  ura_s=$(echo "$t1 - $t0" | bc -l)
  # SQLite: .import into a table, then an FTS5 index over the name column.
  rm -f "$WORK/peer.db"
  tmpcsv="$WORK/peer.csv"
  if [ "${DELIM[$f]}" = ";" ]; then sep=';'; else sep=','; fi
  t0=$(now)
  sqlite3 "$WORK/peer.db" <<SQL > /dev/null 2>&1
.mode csv
.separator "$sep"
.import '$src' src
CREATE VIRTUAL TABLE names USING fts5(name, content='src', content_rowid='rowid');
INSERT INTO names(rowid, name) SELECT rowid, "${NAME_COLUMN[$f]}" FROM src;
SQL
  true
  t1=$(now)
  sql_s=$(echo "$t1 - $t0" | bc -l)
  printf '%-24s %10d %12.2f %12.0f %12.0f %7.2fx\n' "$f" "$rows" "$ura_s" "$(echo "$rows / $ura_s" | bc -l)" \
    "$(echo "$rows / $sql_s" | bc -l)" "$(echo "$sql_s / $ura_s" | bc -l)"
  total_rows=$((total_rows + rows)); total_ura=$(echo "$total_ura + $ura_s" | bc -l); total_sql=$(echo "$total_sql + $sql_s" | bc -l)
done
printf '%-24s %10d %12.2f %12.0f %12.0f %7.2fx\n' "all CSV" "$total_rows" "$total_ura" \
  "$(echo "$total_rows / $total_ura" | bc -l)" "$(echo "$total_rows / $total_sql" | bc -l)" "$(echo "$total_sql / $total_ura" | bc -l)"
echo "goal: >= 0.5x sqlite3 .import+FTS5 and >= 100000 rows/s into the journal"

# Peak memory at two file sizes (the border export, N/10 and N persons).
echo
for size in small data; do
  ura_store "$WORK/mem-$size"
  src="$WORK/$size/border/crossings.csv"
  /usr/bin/time -f "%M" -o "$WORK/rss" "$URA" --data "$WORK/mem-$size" --key-file "$WORK/mem-$size.key" \
    ingest --mapping mappings/border.yml "$src" > /dev/null || true
  printf 'peak RSS ingesting %-10s (%9d rows): %6d MiB\n' "$size" "$(($(wc -l < "$src") - 1))" "$(( $(tail -1 "$WORK/rss") / 1024 ))"
done
