#!/usr/bin/env bash
# HTTP throughput (issue 5): wrk against `ura serve` -- entity GET and search with a valid
# session, audit on (every request an audit record in the journal before the answer) -- and
# against nginx serving the same entity JSON as a static file, in the same run. Prints
# requests/s, p99 latency and the ratio. Needs the Debian packages wrk and nginx-light
# (`apt-get install wrk nginx-light`); nothing else is downloaded.
#
#   bench/server_bench.sh [--persons N] [--seconds S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=100000 SECONDS_=10 CONNECTIONS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --persons) PERSONS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    *) echo "usage: $0 [--persons N] [--seconds S] [--connections C]" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install wrk nginx-light curl" >&2; exit 2; }
done
URA=build/release/apps/ura
WORK=$(mktemp -d /tmp/ura-server-bench-XXXXXX)
cleanup() {
  [ -n "${URA_PID:-}" ] && kill "$URA_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export URA_USER_PASSWORD="throughput measuring 2026"
"$URA" --data "$WORK/store" init --new-key-file "$WORK/key" >/dev/null
build/release/bench/ura_fill_entities --data "$WORK/store" --key-file "$WORK/key" --count "$PERSONS" \
  --names "$WORK/names.csv" >/dev/null
"$URA" --data "$WORK/store" --key-file "$WORK/key" reindex >/dev/null
"$URA" --data "$WORK/store" --key-file "$WORK/key" user add bench --role investigator --clearance secret >/dev/null
"$URA" --data "$WORK/store" --key-file "$WORK/key" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>/dev/null &
URA_PID=$!
for _ in $(seq 50); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(grep -o '127.0.0.1:[0-9]*' "$WORK/serve.out" | cut -d: -f2)
TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/login" -d "{\"user\":\"bench\",\"password\":\"$URA_USER_PASSWORD\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
ID=p$((PERSONS / 2))
H=(-H "Authorization: Bearer $TOKEN" -H "X-Justification: benchmark run")
mkdir -p "$WORK/www"
curl -s "${H[@]}" "http://127.0.0.1:$PORT/api/v1/entities/$ID" > "$WORK/www/entity.json"
NGINX_PORT=$((PORT + 1))
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; default_type application/json; }
}
CONF
nginx -c "$WORK/nginx.conf"
sleep 0.5

run_wrk() {  # URL [headers...] -> "requests/s p99_ms"
  local url=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency "$@" "$url" > "$WORK/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$WORK/wrk.out")
  echo "$rps $p99"
}
read -r ura_rps ura_p99 < <(run_wrk "http://127.0.0.1:$PORT/api/v1/entities/$ID" "${H[@]}")
read -r search_rps search_p99 < <(run_wrk "http://127.0.0.1:$PORT/api/v1/search?q=Mehmet%20Hoxha&limit=10" "${H[@]}")
read -r nginx_rps nginx_p99 < <(run_wrk "http://127.0.0.1:$NGINX_PORT/entity.json")
printf 'persons %d, %d connections, %d s per run, 2 wrk threads, same machine\n' "$PERSONS" "$CONNECTIONS" "$SECONDS_"
printf 'ura entity GET (audited)   %9.0f req/s  p99 %7.2f ms\n' "$ura_rps" "$ura_p99"
printf 'ura search (audited)       %9.0f req/s  p99 %7.2f ms\n' "$search_rps" "$search_p99"
printf 'nginx static entity.json   %9.0f req/s  p99 %7.2f ms\n' "$nginx_rps" "$nginx_p99"
printf 'ratio entity GET / nginx: %.2fx (goal >= 0.3x; p99 goal < 20 ms)\n' "$(echo "$ura_rps / $nginx_rps" | bc -l)"
