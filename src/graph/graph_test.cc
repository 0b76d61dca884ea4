#include "graph/graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

#include "graph/consult.h"
#include "graph/load.h"
#include "graph/queries.h"
#include "index/index_testing.h"
#include "journal/journal.h"
#include "journal/journal_testing.h"

namespace ura::graph {
namespace {

using index::testing::TestValue;

// A graph of Person nodes named by single letters, with undirected "Associate" edges given as
// "AB" pairs (optionally dated).
struct Small {
  Graph graph;
  uint32_t operator[](std::string_view id) const { return graph.Find(id); }
  std::vector<std::string> Ids(const std::vector<uint32_t>& nodes) const {
    std::vector<std::string> out;
    for (uint32_t n : nodes) out.push_back(graph.id(n));
    return out;
  }
  std::vector<std::string> SortedIds(std::vector<uint32_t> nodes) const {
    std::vector<std::string> out = Ids(nodes);
    std::sort(out.begin(), out.end());
    return out;
  }
};

struct DatedPair {
  std::string pair;
  int32_t day = kNoDay;
  std::string type = "Associate";
};

Small Build(const std::vector<DatedPair>& pairs, const std::string& nodes = "") {
  GraphBuilder b;
  model::Marking m;
  for (char c : nodes) b.AddNode(std::string(1, c), "Person", m);
  for (const DatedPair& p : pairs) {
    const uint32_t x = b.AddNode(p.pair.substr(0, 1), "Person", m);
    const uint32_t y = b.AddNode(p.pair.substr(1, 1), "Person", m);
    b.AddEdge(x, y, p.type, p.day, p.day);
  }
  return {std::move(b).Build()};
}

Small Build(std::initializer_list<const char*> pairs) {
  std::vector<DatedPair> dated;
  for (const char* p : pairs) dated.push_back({p});
  return Build(dated);
}

// Hides the named nodes.
Filter Hiding(const Small& s, std::string_view hidden) {
  Filter f;
  f.visible.assign(s.graph.node_count(), 1);
  for (char c : hidden) f.visible[s[std::string(1, c)]] = 0;
  return f;
}

access::User Analyst(model::Classification clearance) {
  access::User user;
  user.name = "u";
  user.role = access::Role::kAnalyst;
  user.clearance = clearance;
  return user;
}

TEST(Dates, DaysSinceEpochAgainstHandComputation) {
  EXPECT_EQ(DayOfDate("1970-01-01"), 0);
  // 2024-01-01: 54 years with 13 leap days (1972 ... 2020) = 54 * 365 + 13 = 19723.
  EXPECT_EQ(DayOfDate("2024-01-01"), 19723);
  EXPECT_EQ(DayOfDate("2024-03-05T10:00"), 19723 + 31 + 29 + 4);
  EXPECT_EQ(DayOfDate("2024-03"), 19723 + 31 + 29);
  EXPECT_EQ(DayOfDate("2024"), 19723);
  EXPECT_EQ(DayOfDate("24-03-05"), kNoDay);
  EXPECT_EQ(DayOfDate("2024-13-01"), kNoDay);
  EXPECT_EQ(DateOfDay(19723 + 31 + 29 + 4), "2024-03-05");
  EXPECT_EQ(DateOfDay(0), "1970-01-01");
}

TEST(Graph, CsrHoldsEveryEdgeFromBothEnds) {
  Small s = Build({"AB", "BC", "BD", "AA"});  // the self-loop is dropped
  EXPECT_EQ(s.graph.node_count(), 4u);
  EXPECT_EQ(s.graph.edge_count(), 3u);
  EXPECT_EQ(s.graph.degree(s["B"]), 3u);
  EXPECT_EQ(s.SortedIds({s.graph.neighbours(s["B"]).begin(), s.graph.neighbours(s["B"]).end()}),
            (std::vector<std::string>{"A", "C", "D"}));
  EXPECT_EQ(s.graph.Find("Z"), kNoNode);
}

TEST(Neighbourhood, HopsMaxNodesAndFilters) {
  Small s = Build({{"AB", 100}, {"BC", 200}, {"CD", 300}, {"BE", kNoDay, "Family"}});
  Filter all;
  Subgraph one = Neighbourhood(s.graph, all, s["B"], 1, 100);
  EXPECT_EQ(s.SortedIds(one.nodes), (std::vector<std::string>{"A", "B", "C", "E"}));
  EXPECT_EQ(one.edges.size(), 3u);
  EXPECT_FALSE(one.truncated);
  Subgraph two = Neighbourhood(s.graph, all, s["A"], 2, 100);
  EXPECT_EQ(s.SortedIds(two.nodes), (std::vector<std::string>{"A", "B", "C", "E"}));
  EXPECT_EQ(two.distance[std::find(two.nodes.begin(), two.nodes.end(), s["C"]) - two.nodes.begin()],
            2u);
  Subgraph capped = Neighbourhood(s.graph, all, s["B"], 3, 2);
  EXPECT_EQ(capped.nodes.size(), 2u);
  EXPECT_TRUE(capped.truncated);

  Filter family_only;
  family_only.edge_type_ok.assign(s.graph.edge_type_names().size(), 0);
  family_only.edge_type_ok[s.graph.FindEdgeType("Family")] = 1;
  EXPECT_EQ(s.SortedIds(Neighbourhood(s.graph, family_only, s["B"], 3, 100).nodes),
            (std::vector<std::string>{"B", "E"}));

  Filter window;  // days 150..250: B-C (200) and the undated B-E only
  window.day_from = 150;
  window.day_to = 250;
  EXPECT_EQ(s.SortedIds(Neighbourhood(s.graph, window, s["B"], 3, 100).nodes),
            (std::vector<std::string>{"B", "C", "E"}));
}

TEST(Neighbourhood, SchemaFilterAndHiddenSeed) {
  GraphBuilder b;
  model::Marking m;
  const uint32_t p = b.AddNode("p", "Person", m), v = b.AddNode("v", "Vehicle", m),
                 q = b.AddNode("q", "Person", m);
  b.AddEdge(p, v, "ref:owner");
  b.AddEdge(v, q, "ref:owner");
  Graph g = std::move(b).Build();
  Filter people;
  people.schema_ok.assign(g.schema_names().size(), 0);
  people.schema_ok[g.FindSchema("Person")] = 1;
  EXPECT_EQ(Neighbourhood(g, people, p, 3, 10).nodes, (std::vector<uint32_t>{p}));
  EXPECT_EQ(Neighbourhood(Graph(std::move(g)), Filter{}, p, 3, 10).nodes.size(), 3u);
  Small s = Build({"AB"});
  EXPECT_TRUE(Neighbourhood(s.graph, Hiding(s, "A"), s["A"], 2, 10).nodes.empty());
}

TEST(Paths, ShortestAvoidsHiddenNodesAndIsAbsentIfOnlyThroughThem) {
  // A-B-C is shortest; A-D-E-C the detour.
  Small s = Build({"AB", "BC", "AD", "DE", "EC"});
  std::optional<Path> p = ShortestPath(s.graph, Filter{}, s["A"], s["C"]);
  ASSERT_TRUE(p);
  EXPECT_EQ(s.Ids(p->nodes), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(p->edges.size(), 2u);
  std::optional<Path> detour = ShortestPath(s.graph, Hiding(s, "B"), s["A"], s["C"]);
  ASSERT_TRUE(detour);
  EXPECT_EQ(s.Ids(detour->nodes), (std::vector<std::string>{"A", "D", "E", "C"}));
  EXPECT_FALSE(ShortestPath(s.graph, Hiding(s, "BE"), s["A"], s["C"]));
  EXPECT_FALSE(ShortestPath(s.graph, Hiding(s, "C"), s["A"], s["C"]));
  EXPECT_EQ(ShortestPath(s.graph, Filter{}, s["A"], s["A"])->nodes.size(), 1u);
}

TEST(Paths, HiddenLinkEntityIsNoEdge) {
  GraphBuilder b;
  model::Marking open, secret;
  secret.classification = model::Classification::kSecret;
  const uint32_t a = b.AddNode("a", "Person", open), c = b.AddNode("c", "Person", open);
  const uint32_t link = b.AddNode("link", "Associate", secret, kNoDay, kLinkNode);
  b.AddEdge(a, c, "Associate", kNoDay, kNoDay, link);
  Graph g = std::move(b).Build();
  access::User user = Analyst(model::Classification::kRestricted);
  Result<Filter> f = FilterFor(g, {"u", &user});
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(ShortestPath(g, *f, a, c));
  EXPECT_TRUE(ShortestPath(g, Filter{}, a, c));
  user.role = access::Role::kAdmin;  // administrators do not read police data
  EXPECT_EQ(FilterFor(g, {"u", &user}).status().code(), StatusCode::kPermissionDenied);
}

TEST(Paths, YenListsLooplessPathsByLength) {
  // A to F: A-B-F and A-C-F (2 edges), A-D-E-F (3), and A-B-C-F, A-C-B-F (3) through B-C.
  Small s = Build({"AB", "BF", "AC", "CF", "AD", "DE", "EF", "BC"});
  std::vector<Path> paths = KShortestPaths(s.graph, Filter{}, s["A"], s["F"], 10);
  ASSERT_EQ(paths.size(), 5u);
  std::vector<size_t> lengths;
  for (const Path& p : paths) lengths.push_back(p.edges.size());
  EXPECT_EQ(lengths, (std::vector<size_t>{2, 2, 3, 3, 3}));
  std::vector<std::vector<std::string>> listed;
  for (const Path& p : paths) listed.push_back(s.Ids(p.nodes));
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, (std::vector<std::vector<std::string>>{{"A", "B", "C", "F"},
                                                           {"A", "B", "F"},
                                                           {"A", "C", "B", "F"},
                                                           {"A", "C", "F"},
                                                           {"A", "D", "E", "F"}}));
  EXPECT_EQ(KShortestPaths(s.graph, Filter{}, s["A"], s["F"], 2).size(), 2u);
  EXPECT_EQ(KShortestPaths(s.graph, Hiding(s, "BC"), s["A"], s["F"], 10).size(), 1u);
}

TEST(Connect, JoinsTerminalsThroughTheNearestAndReportsTheUnreached) {
  // Hub H joins A, B, C; X is apart.
  Small s = Build({"AH", "BH", "CH", "XY"});
  Connection c = Connect(s.graph, Filter{}, {s["A"], s["B"], s["C"], s["X"]});
  EXPECT_EQ(s.SortedIds(c.tree.nodes), (std::vector<std::string>{"A", "B", "C", "H"}));
  EXPECT_EQ(c.tree.edges.size(), 3u);
  EXPECT_EQ(s.Ids(c.unreached), (std::vector<std::string>{"X"}));
  Connection hidden = Connect(s.graph, Hiding(s, "H"), {s["A"], s["B"]});
  EXPECT_EQ(hidden.tree.nodes.size(), 1u);
  EXPECT_EQ(hidden.unreached.size(), 1u);
}

TEST(Components, NumberedBySize) {
  Small s = Build(std::vector<DatedPair>{{"AB"}, {"XY"}, {"YZ"}, {"ZX"}}, "Q");
  Components c = ConnectedComponents(s.graph, Filter{});
  EXPECT_EQ(c.sizes, (std::vector<uint32_t>{3, 2, 1}));
  EXPECT_EQ(c.component[s["X"]], 0u);
  EXPECT_EQ(c.component[s["A"]], 1u);
  EXPECT_EQ(c.component[s["Q"]], 2u);
  Components hidden = ConnectedComponents(s.graph, Hiding(s, "Y"));
  EXPECT_EQ(hidden.sizes, (std::vector<uint32_t>{2, 2, 1}));  // X-Z still joined by ZX
  EXPECT_EQ(hidden.component[s["Y"]], kNoNode);
}

// `cliques` cliques of `size` nodes, each joined to the next by one edge (a ring).
Graph RingOfCliques(uint32_t cliques, uint32_t size) {
  GraphBuilder b;
  model::Marking m;
  for (uint32_t n = 0; n < cliques * size; ++n) b.AddNode("n" + std::to_string(n), "Person", m);
  for (uint32_t c = 0; c < cliques; ++c) {
    for (uint32_t i = 0; i < size; ++i) {
      for (uint32_t j = i + 1; j < size; ++j) b.AddEdge(c * size + i, c * size + j, "Associate");
    }
    b.AddEdge(c * size, ((c + 1) % cliques) * size + 1, "Associate");
  }
  return std::move(b).Build();
}

TEST(Communities, FindsTheCliquesOfARing) {
  // The known optimum for a ring of cliques joined by single edges is one community per
  // clique (Fortunato & Barthelemy 2007; true while cliques^2 is small against the edges).
  Graph g = RingOfCliques(8, 6);
  Components c = Communities(g, Filter{});
  ASSERT_EQ(c.sizes.size(), 8u);
  for (uint32_t k = 0; k < 8; ++k) {
    for (uint32_t i = 1; i < 6; ++i) EXPECT_EQ(c.component[k * 6 + i], c.component[k * 6]) << k;
  }
  std::vector<uint32_t> truth(48);
  for (uint32_t n = 0; n < 48; ++n) truth[n] = n / 6;
  EXPECT_NEAR(Modularity(g, Filter{}, c.component), Modularity(g, Filter{}, truth), 1e-9);
  // Hand computation: m = 8 * 15 + 8 = 128 edges; each clique has 15 inside and degree sum
  // 30 + 2 = 32: Q = 8 * (15/128 - (32/256)^2) = 0.8125.
  EXPECT_NEAR(Modularity(g, Filter{}, truth), 0.8125, 1e-12);
}

TEST(Communities, NeverDisconnectedAndHiddenNodesLeftOut) {
  Small s = Build({"AB", "BC", "CA", "XY", "YZ", "ZX", "CX"});
  Components c = Communities(s.graph, Hiding(s, "C"));
  EXPECT_EQ(c.component[s["C"]], kNoNode);
  EXPECT_NE(c.component[s["A"]], c.component[s["X"]]);  // nothing joins them without C
  EXPECT_EQ(c.component[s["A"]], c.component[s["B"]]);
}

TEST(Centrality, DegreePageRankAndExactBetweennessOnAPath) {
  Small s = Build({"AB", "BC", "CD", "DE"});
  std::vector<double> degree = DegreeCentrality(s.graph, Filter{});
  EXPECT_EQ(degree[s["A"]], 1);
  EXPECT_EQ(degree[s["C"]], 2);
  std::vector<double> rank = PageRank(s.graph, Filter{});
  EXPECT_NEAR(std::accumulate(rank.begin(), rank.end(), 0.0), 1.0, 1e-9);
  EXPECT_GT(rank[s["C"]], rank[s["A"]]);
  EXPECT_NEAR(rank[s["A"]], rank[s["E"]], 1e-12);  // symmetry
  // On the path A-B-C-D-E, B lies on the shortest paths of (A,C) (A,D) (A,E): 3; C on
  // (A,D) (A,E) (B,D) (B,E): 4; D: 3; the ends: 0.
  std::vector<double> between = Betweenness(s.graph, Filter{}, 100);
  EXPECT_NEAR(between[s["A"]], 0, 1e-9);
  EXPECT_NEAR(between[s["B"]], 3, 1e-9);
  EXPECT_NEAR(between[s["C"]], 4, 1e-9);
  EXPECT_NEAR(between[s["D"]], 3, 1e-9);
  // A broker: hidden, it has no betweenness and its neighbours lose theirs through it.
  std::vector<double> hidden = Betweenness(s.graph, Hiding(s, "C"), 100);
  EXPECT_EQ(hidden[s["C"]], 0);
  EXPECT_NEAR(hidden[s["B"]], 0, 1e-9);
}

TEST(Centrality, SampledBetweennessFindsTheBroker) {
  Graph g = RingOfCliques(6, 8);
  std::vector<double> between = Betweenness(g, Filter{}, 16, 7);
  // The nodes joining cliques (0 and 1 of each) carry every path between cliques.
  const auto top = std::max_element(between.begin(), between.end()) - between.begin();
  EXPECT_LT(top % 8, 2);
}

// Entities through the index: a person, a relative, an account the person holds paying
// another, a crossing, and two people sharing a phone.
class LoadTest : public ::testing::Test {
 protected:
  model::Entity Make(const std::string& id, const std::string& schema,
                     std::vector<std::pair<std::string, std::string>> properties,
                     model::Marking marking = {}) {
    model::Entity e;
    e.id = id;
    e.schema = schema;
    e.marking = marking;
    for (auto& [p, v] : properties) e.properties[p].push_back(TestValue(v));
    return e;
  }
  void SetUp() override {
    model::Marking secret;
    secret.classification = model::Classification::kSecret;
    for (const model::Entity& e :
         {Make("p1", "Person", {{"name", "Arben Hoxha"}, {"phone", "+355691234567"}}),
          Make("p2", "Person", {{"name", "Besa Hoxha"}}),
          Make("p3", "Person", {{"name", "Dritan Leka"}, {"phone", "+355691234567"}}),
          Make("p4", "Person", {{"name", "Hidden Broker"}}, secret),
          Make("p5", "Person", {{"name", "Far Away"}}),
          Make("fam", "Family",
               {{"person", "p1"}, {"relative", "p2"}, {"startDate", "2020-05-01"}}),
          Make("as1", "Associate", {{"person", "p3"}, {"associate", "p4"}}),
          Make("as2", "Associate", {{"person", "p4"}, {"associate", "p5"}}),
          Make("acc1", "BankAccount", {{"iban", "AL35202111090000000001234567"}, {"holder", "p1"}}),
          Make("acc2", "BankAccount", {{"iban", "DE89370400440532013000"}}),
          Make("pay", "Payment",
               {{"payerAccount", "acc1"},
                {"beneficiaryAccount", "acc2"},
                {"date", "2024-02-03"},
                {"amount", "9500"}}),
          Make("x1", "BorderCrossing", {{"person", "p1"}, {"date", "2024-01-10"}})}) {
      index_.Add(e);
    }
    Result<Graph> g = LoadGraph(*index_, model::SchemaRegistry::Builtin(), {{"p2", "p5"}});
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    graph_ = std::move(*g);
  }
  std::vector<std::string> TypesAt(const std::string& id) {
    std::vector<std::string> out;
    for (uint32_t e : graph_.incident_edges(graph_.Find(id)))
      out.push_back(graph_.edge_type_name(e));
    std::sort(out.begin(), out.end());
    return out;
  }
  index::testing::ScratchIndex index_;
  Graph graph_;
};

TEST_F(LoadTest, LinksReferencesPivotsAndPersonsBecomeTypedEdges) {
  EXPECT_EQ(TypesAt("p1"),
            (std::vector<std::string>{"Family", "ref:holder", "ref:person", "same:phone"}));
  EXPECT_EQ(TypesAt("acc1"), (std::vector<std::string>{"Payment", "ref:holder"}));
  EXPECT_EQ(TypesAt("p5"), (std::vector<std::string>{"Associate", "same-person"}));
  EXPECT_TRUE(graph_.flags(graph_.Find("fam")) & kLinkNode);
  EXPECT_TRUE(graph_.flags(graph_.Find("acc1")) & kAssetNode);
  EXPECT_EQ(graph_.degree(graph_.Find("fam")), 0u);
  const uint32_t fam_edge = graph_.incident_edges(graph_.Find("p2"))[0];
  EXPECT_EQ(graph_.edge(fam_edge).day_from, DayOfDate("2020-05-01"));
  EXPECT_EQ(graph_.id(graph_.edge(fam_edge).via), "fam");
}

TEST_F(LoadTest, TimelineInDateOrderThroughHeldAccounts) {
  std::vector<TimelineEvent> t = Timeline(graph_, Filter{}, graph_.Find("p1"));
  std::vector<std::string> events;
  for (const TimelineEvent& e : t) events.push_back(DateOfDay(e.day) + " " + graph_.id(e.event));
  EXPECT_EQ(events,
            (std::vector<std::string>{"2020-05-01 fam", "2024-01-10 x1", "2024-02-03 pay"}));
  EXPECT_EQ(graph_.id(t[2].through), "acc1");
  EXPECT_EQ(graph_.id(t[2].other), "acc2");
}

TEST_F(LoadTest, UserDoesNotSeeAPathThroughAHiddenPerson) {
  access::User user = Analyst(model::Classification::kConfidential);
  Result<Filter> f = FilterFor(graph_, {"u", &user});
  ASSERT_TRUE(f.ok());
  const uint32_t p3 = graph_.Find("p3"), p5 = graph_.Find("p5"), p1 = graph_.Find("p1");
  ASSERT_TRUE(ShortestPath(graph_, Filter{}, p3, p5));  // p3 - p4 - p5 for the custodian
  EXPECT_EQ(ShortestPath(graph_, Filter{}, p3, p5)->nodes.size(), 3u);
  // For the user p4 does not exist: p3 reaches p5 only the long way (phone, family, same person).
  std::optional<Path> p = ShortestPath(graph_, *f, p3, p5);
  ASSERT_TRUE(p);
  for (uint32_t n : p->nodes) EXPECT_NE(graph_.id(n), "p4");
  EXPECT_EQ(p->nodes.front(), p3);
  EXPECT_EQ(p->nodes[1], p1);
  audit::Record r = ConsultationRecord(graph_, "graph-path", "p3 p5", p->nodes, p->edges);
  EXPECT_EQ(std::count(r.objects.begin(), r.objects.end(), "fam"), 1);
  EXPECT_EQ(std::count(r.objects.begin(), r.objects.end(), "p4"), 0);
}

// Every edge as (from id, to id, type, via id), and every node's id and schema.
std::multiset<std::tuple<std::string, std::string, std::string, std::string>> EdgeSet(
    const Graph& g) {
  std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
  for (uint32_t e = 0; e < g.edge_count(); ++e) {
    const Edge& x = g.edge(e);
    out.emplace(g.id(x.from), g.id(x.to), g.edge_type_name(e), x.via == kNoNode ? "" : g.id(x.via));
  }
  for (uint32_t n = 0; n < g.node_count(); ++n) out.emplace(g.id(n), "", g.schema_name(n), "");
  return out;
}

// Random new entities and new versions (phones, passports and family links that come and go),
// written to a journal and an index as ingest does: the graph brought up to date from the
// journal step by step is the graph read from the index afresh.
TEST(GraphState, UpdatedFromTheJournalEqualsReadFromTheIndex) {
  journal::testing::TempDir tmp;
  const std::string dir = tmp.Sub("store");
  auto j = journal::testing::NewTestStore(dir);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  auto idx = index::SqliteIndex::Open(tmp.Sub("index.sqlite"), std::nullopt, {});
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  GraphState state(registry);
  uint64_t applied = 0;
  std::mt19937 rng(11);
  for (int step = 0; step < 25; ++step) {
    std::vector<model::Entity> batch;
    for (int i = 0; i < 1 + static_cast<int>(rng() % 8); ++i) {
      model::Entity e;
      e.id = "p" + std::to_string(rng() % 30);
      e.schema = "Person";
      e.properties["name"].push_back(TestValue("Arben " + std::to_string(rng() % 5)));
      if (rng() % 2)
        e.properties["phone"].push_back(TestValue("+35569123456" + std::to_string(rng() % 4)));
      if (rng() % 3 == 0)
        e.properties["passportNumber"].push_back(TestValue("AB" + std::to_string(rng() % 3)));
      batch.push_back(e);
      if (rng() % 3 == 0) {
        model::Entity link;
        link.id = "f" + std::to_string(rng() % 10);
        link.schema = "Family";
        link.properties["person"].push_back(TestValue(e.id));
        link.properties["relative"].push_back(TestValue("p" + std::to_string(rng() % 30)));
        batch.push_back(link);
      }
    }
    std::vector<std::string> json;
    for (const model::Entity& e : batch) json.push_back(model::CanonicalJson(e));
    std::vector<journal::EntryInput> entries;
    for (const std::string& p : json)
      entries.push_back({index::kEntryTypeEntityVersion, AsBytes(p)});
    auto r = (*j)->Append(entries);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<index::VersionToApply> versions;
    for (size_t i = 0; i < batch.size(); ++i)
      versions.push_back({r->first_sequence + i, &batch[i], json[i]});
    ASSERT_TRUE((*idx)->Apply(versions, {}, r->first_sequence + r->count, r->head.root).ok());

    bool resolution_changed = false;
    ASSERT_TRUE(AddJournal(state, DefaultFileSystem(), journal::StorePaths(dir), (*j)->keyring(),
                           applied, (*idx)->applied_size(), resolution_changed)
                    .ok());
    applied = (*idx)->applied_size();
    EXPECT_FALSE(resolution_changed);
    Result<Graph> fresh = LoadGraph(**idx, registry, {});
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    ASSERT_EQ(EdgeSet(state.Build()), EdgeSet(*fresh)) << "step " << step;
  }
  EXPECT_GT(state.Build().edge_count(), 10u);
}

}  // namespace
}  // namespace ura::graph
