// Link analysis and AML scan timings (issue 8), for bench/graph_bench.sh, which runs
// python3-igraph on the same graph in the same run and prints the ratios.
//
//   ura_graph_bench graph --nodes N --edges M --out EDGES.txt [--seed S]
//     Generates a planted-partition graph (communities of 20-80 nodes; 90% of the edges inside
//     one), writes its edge list ("u v" lines, for igraph) and the query seeds, and times in
//     Ura: building the CSR, BFS (full, and 3-hop from 100 seeds), shortest paths between 100
//     pairs, connected components, communities, and the p99 of 1,000 2-hop neighbourhoods.
//   ura_graph_bench aml --transactions N [--seed S]
//     Times aml::Scan over N synthetic payments between N/5 accounts over two years, with one
//     planted pattern of each typology per 100,000 payments.
// Results as JSON lines on standard output.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "aml/aml.h"
#include "graph/graph.h"
#include "graph/queries.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string Arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return argv[i + 1];
  }
  return fallback;
}

void Report(const char* name, double seconds) {
  std::printf("{\"ura\": \"%s\", \"seconds\": %.6f}\n", name, seconds);
}

int GraphBench(uint64_t nodes, uint64_t edges, const std::string& out, uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Community of each node: consecutive blocks of 20-80 nodes.
  std::vector<uint32_t> start_of;  // community -> first node
  for (uint64_t n = 0; n < nodes;) {
    start_of.push_back(static_cast<uint32_t>(n));
    n += 20 + rng() % 61;
  }
  start_of.push_back(static_cast<uint32_t>(nodes));
  std::vector<uint32_t> community(nodes);
  for (uint32_t c = 0; c + 1 < start_of.size(); ++c) {
    for (uint32_t n = start_of[c]; n < start_of[c + 1]; ++n) community[n] = c;
  }
  auto t = Clock::now();
  ura::graph::GraphBuilder b;
  ura::model::Marking marking;
  for (uint64_t n = 0; n < nodes; ++n) b.AddNode("n" + std::to_string(n), "Person", marking);
  b.ReserveEdges(edges);
  const uint16_t type = b.EdgeType("Associate");
  std::ofstream file(out);
  std::string line;
  for (uint64_t e = 0; e < edges;) {
    const uint32_t u = static_cast<uint32_t>(rng() % nodes);
    uint32_t v;
    if (rng() % 10 < 9) {
      const uint32_t c = community[u];
      v = start_of[c] + static_cast<uint32_t>(rng() % (start_of[c + 1] - start_of[c]));
    } else {
      v = static_cast<uint32_t>(rng() % nodes);
    }
    if (u == v) continue;
    b.AddEdge(
        ura::graph::Edge{u, v, type, ura::graph::kNoDay, ura::graph::kNoDay, ura::graph::kNoNode});
    line = std::to_string(u) + " " + std::to_string(v) + "\n";
    file << line;
    ++e;
  }
  file.close();
  const double generate = Since(t);
  t = Clock::now();
  ura::graph::Graph g = std::move(b).Build();
  Report("build_csr", Since(t));
  std::fprintf(stderr, "graph: %zu nodes, %zu edges (generated and written in %.1f s)\n",
               g.node_count(), g.edge_count(), generate);
  // Query seeds, shared with igraph through a file next to the edges.
  std::vector<uint32_t> seeds(1000), pairs(200);
  for (uint32_t& s : seeds) s = static_cast<uint32_t>(rng() % nodes);
  for (uint32_t& s : pairs) s = static_cast<uint32_t>(rng() % nodes);
  std::ofstream seeds_file(out + ".seeds");
  for (uint32_t s : seeds) seeds_file << s << " ";
  seeds_file << "\n";
  for (uint32_t s : pairs) seeds_file << s << " ";
  seeds_file << "\n";
  seeds_file.close();

  const ura::graph::Filter all;
  t = Clock::now();
  ura::graph::Subgraph whole = ura::graph::Neighbourhood(g, all, seeds[0], 1000, nodes, false);
  Report("bfs_full", Since(t));
  std::fprintf(stderr, "bfs from one node reached %zu nodes\n", whole.nodes.size());
  t = Clock::now();
  size_t reached = 0;
  for (int i = 0; i < 100; ++i)
    reached += ura::graph::Neighbourhood(g, all, seeds[i], 3, nodes, false).nodes.size();
  Report("khop3_x100", Since(t));
  std::fprintf(stderr, "3-hop: %zu nodes on average\n", reached / 100);
  // 2-hop neighbourhoods: the nodes only (as igraph's neighborhood), and with the edges among
  // them (what `ura graph neighbours` shows).
  for (bool with_edges : {false, true}) {
    std::vector<double> two_hop;
    for (uint32_t s : seeds) {
      auto q = Clock::now();
      ura::graph::Neighbourhood(g, all, s, 2, nodes, with_edges);
      two_hop.push_back(Since(q));
    }
    std::sort(two_hop.begin(), two_hop.end());
    Report(with_edges ? "khop2_edges_p50" : "khop2_p50", two_hop[two_hop.size() / 2]);
    Report(with_edges ? "khop2_edges_p99" : "khop2_p99", two_hop[two_hop.size() * 99 / 100]);
  }
  t = Clock::now();
  size_t hops = 0;
  for (int i = 0; i < 100; ++i) {
    std::optional<ura::graph::Path> p =
        ura::graph::ShortestPath(g, all, pairs[2 * i], pairs[2 * i + 1]);
    if (p) hops += p->edges.size();
  }
  Report("shortest_path_x100", Since(t));
  std::fprintf(stderr, "shortest paths: %zu hops in all\n", hops);
  t = Clock::now();
  ura::graph::Components c = ura::graph::ConnectedComponents(g, all);
  Report("components", Since(t));
  std::fprintf(stderr, "components: %zu\n", c.sizes.size());
  t = Clock::now();
  ura::graph::Components k = ura::graph::Communities(g, all);
  Report("communities", Since(t));
  std::fprintf(stderr, "communities: %zu, modularity %.4f\n", k.sizes.size(),
               ura::graph::Modularity(g, all, k.component));
  return 0;
}

int AmlBench(uint64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const uint64_t accounts = std::max<uint64_t>(count / 5, 100);
  std::vector<ura::aml::Transaction> t;
  t.reserve(count);
  const int32_t first_day = 19723;  // 2024-01-01
  auto pay = [&](uint64_t a, uint64_t b, int32_t day, int64_t cents) {
    ura::aml::Transaction x;
    x.id = "tx" + std::to_string(t.size());
    x.payer = "acc" + std::to_string(a);
    x.beneficiary = "acc" + std::to_string(b);
    x.day = day;
    x.cents = cents;
    t.push_back(std::move(x));
  };
  while (t.size() < count) {
    const uint64_t a = rng() % accounts;
    uint64_t b = rng() % accounts;
    if (a == b) b = (b + 1) % accounts;
    pay(a, b, first_day + static_cast<int32_t>(rng() % 730),
        static_cast<int64_t>(1000 + rng() % 2000000));
    if (t.size() % 100000 == 0) {  // a fan-out and a cycle now and then
      const uint64_t hub = rng() % accounts;
      const int32_t day = first_day + static_cast<int32_t>(rng() % 700);
      for (int k = 1; k <= 6; ++k) pay(hub, (hub + k) % accounts, day + k, 500000);
      for (int k = 0; k < 5; ++k)
        pay((hub + 100 + k) % accounts, (hub + 100 + (k + 1) % 5) % accounts, day + k,
            900000 - k * 1000);
    }
  }
  auto start = Clock::now();
  std::vector<ura::aml::Alert> alerts = ura::aml::Scan(t, ura::aml::Options());
  Report("aml_scan", Since(start));
  std::fprintf(stderr, "aml: %zu payments, %llu accounts, %zu alerts\n", t.size(),
               static_cast<unsigned long long>(accounts), alerts.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const uint64_t seed = std::stoull(Arg(argc, argv, "--seed", "1"));
  if (mode == "graph") {
    return GraphBench(std::stoull(Arg(argc, argv, "--nodes", "1000000")),
                      std::stoull(Arg(argc, argv, "--edges", "10000000")),
                      Arg(argc, argv, "--out", "/tmp/ura-graph-edges.txt"), seed);
  }
  if (mode == "aml")
    return AmlBench(std::stoull(Arg(argc, argv, "--transactions", "5000000")), seed);
  std::fprintf(
      stderr,
      "usage: ura_graph_bench graph [--nodes N --edges M --out FILE] | aml [--transactions N]\n");
  return 2;
}
