"""python3-igraph (C core) on the graph ura_graph_bench wrote: the same queries, same seeds.
Prints JSON lines {"igraph": NAME, "seconds": S}, as ura_graph_bench does for Ura."""
import json
import sys
import time

import igraph

path = sys.argv[1]
with open(path + ".seeds") as f:
    seeds = [int(x) for x in f.readline().split()]
    pairs = [int(x) for x in f.readline().split()]


def report(name, seconds):
    print(json.dumps({"igraph": name, "seconds": seconds}), flush=True)


t = time.perf_counter()
g = igraph.Graph.Read_Edgelist(path, directed=False)
report("load_edges", time.perf_counter() - t)
print("igraph: %d nodes, %d edges" % (g.vcount(), g.ecount()), file=sys.stderr)
t = time.perf_counter()
g.bfs(seeds[0])
report("bfs_full", time.perf_counter() - t)
t = time.perf_counter()
g.neighborhood(vertices=seeds[:100], order=3)
report("khop3_x100", time.perf_counter() - t)
times = []
for s in seeds:
    q = time.perf_counter()
    g.neighborhood(s, order=2)
    times.append(time.perf_counter() - q)
times.sort()
report("khop2_p50", times[len(times) // 2])
report("khop2_p99", times[len(times) * 99 // 100])
t = time.perf_counter()
for i in range(100):
    g.get_shortest_paths(pairs[2 * i], to=pairs[2 * i + 1], output="vpath")
report("shortest_path_x100", time.perf_counter() - t)
t = time.perf_counter()
c = g.connected_components()
report("components", time.perf_counter() - t)
print("igraph components: %d" % len(c), file=sys.stderr)
t = time.perf_counter()
comm = g.community_leiden(objective_function="modularity", n_iterations=-1)
report("communities", time.perf_counter() - t)
print("igraph leiden: %d communities, modularity %.4f" % (len(comm), g.modularity(comm)), file=sys.stderr)
