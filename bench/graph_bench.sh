#!/usr/bin/env bash
# Link analysis (issue 8): Ura and python3-igraph (C core) on the same generated graph in one
# run -- BFS, 3-hop neighbourhoods, shortest paths, connected components, communities (Ura's
# Louvain moves with Leiden refinement; igraph's Leiden on modularity) -- with the ratio
# Ura / igraph (below 1: Ura faster), the p99 of a 2-hop neighbourhood, and an AML scan of
# synthetic payments.
#   bench/graph_bench.sh [--nodes N] [--edges M] [--transactions T] [BUILD_DIR]
set -euo pipefail
NODES=1000000 EDGES=10000000 TXNS=5000000 BUILD=build/release
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --edges) EDGES=$2; shift 2 ;;
    --transactions) TXNS=$2; shift 2 ;;
    *) BUILD=$1; shift ;;
  esac
done
BIN=$BUILD/bench/ura_graph_bench
[ -x "$BIN" ] || { echo "graph_bench: $BIN not built (cmake --build --preset release)" >&2; exit 2; }
/usr/bin/python3 -c "import igraph" 2>/dev/null || { echo "graph_bench: python3-igraph missing (apt-get install python3-igraph)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BIN" graph --nodes "$NODES" --edges "$EDGES" --out "$TMP/edges.txt" > "$TMP/ura.jsonl"
/usr/bin/python3 "$(dirname "$0")/graph_bench_igraph.py" "$TMP/edges.txt" > "$TMP/igraph.jsonl"
"$BIN" aml --transactions "$TXNS" > "$TMP/aml.jsonl"
/usr/bin/python3 - "$TMP" "$NODES" "$EDGES" <<'PY'
import json, sys
tmp, nodes, edges = sys.argv[1], sys.argv[2], sys.argv[3]
ura = {j["ura"]: j["seconds"] for j in map(json.loads, open(tmp + "/ura.jsonl"))}
ig = {j["igraph"]: j["seconds"] for j in map(json.loads, open(tmp + "/igraph.jsonl"))}
aml = {j["ura"]: j["seconds"] for j in map(json.loads, open(tmp + "/aml.jsonl"))}
print("graph: %s nodes, %s edges" % (nodes, edges))
print("%-20s %12s %12s %8s" % ("operation", "ura s", "igraph s", "ratio"))
for k in ("bfs_full", "khop3_x100", "khop2_p50", "khop2_p99", "shortest_path_x100", "components", "communities"):
    print("%-20s %12.6f %12.6f %8.2f" % (k, ura[k], ig[k], ura[k] / ig[k] if ig[k] else float("nan")))
print("%-20s %12.6f %12.6f" % ("build / load", ura["build_csr"], ig["load_edges"]))
print("2-hop neighbourhood p99: %.3f ms nodes only, %.3f ms with the edges among them (p50 %.3f ms)" %
      (ura["khop2_p99"] * 1000, ura["khop2_edges_p99"] * 1000, ura["khop2_edges_p50"] * 1000))
print("AML scan: %.2f s" % aml["aml_scan"])
PY
