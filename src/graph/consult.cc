#include "graph/consult.h"

#include <algorithm>
#include <numeric>

#include "graph/queries.h"
#include "index/projection.h"

namespace ura::graph {
namespace {

using nlohmann::json;

// Builds the JSON of what a query shows, reading captions from the index, and lists every
// node and link entity shown in the audit record.
class Shown {
 public:
  Shown(const Graph& g, index::Index& idx, audit::Record& record)
      : g_(g), idx_(idx), record_(record) {}

  Result<json> Node(uint32_t n) {
    record_.AddObject(g_.id(n));
    json j = {{"id", g_.id(n)}, {"schema", g_.schema_name(n)}};
    URA_ASSIGN_OR_RETURN(std::optional<model::Entity> e, idx_.Get(g_.id(n)));
    j["caption"] = e ? index::EntityCaption(*e, model::SchemaRegistry::Builtin()) : "";
    if (g_.day(n) != kNoDay) j["date"] = DateOfDay(g_.day(n));
    return j;
  }
  void Audit(uint32_t n) { record_.AddObject(g_.id(n)); }
  json Edge(uint32_t e) {
    const graph::Edge& x = g_.edge(e);
    json j = {{"from", g_.id(x.from)}, {"to", g_.id(x.to)}, {"type", g_.edge_type_name(e)}};
    if (x.via != kNoNode) {
      record_.AddObject(g_.id(x.via));
      j["via"] = g_.id(x.via);
    }
    if (x.day_from != kNoDay) j["from_date"] = DateOfDay(x.day_from);
    if (x.day_to != kNoDay && x.day_to != x.day_from) j["to_date"] = DateOfDay(x.day_to);
    return j;
  }
  Result<json> Nodes(const std::vector<uint32_t>& nodes) {
    json out = json::array();
    for (uint32_t n : nodes) {
      URA_ASSIGN_OR_RETURN(json j, Node(n));
      out.push_back(std::move(j));
    }
    return out;
  }
  json Edges(const std::vector<uint32_t>& edges) {
    json out = json::array();
    for (uint32_t e : edges) out.push_back(Edge(e));
    return out;
  }
  Result<json> PathJson(const Path& p) {
    URA_ASSIGN_OR_RETURN(json nodes, Nodes(p.nodes));
    return json{{"length", p.edges.size()}, {"nodes", nodes}, {"edges", Edges(p.edges)}};
  }

 private:
  const Graph& g_;
  index::Index& idx_;
  audit::Record& record_;
};

Result<int32_t> DayArgument(const std::string& text, const char* name) {
  if (text.empty()) return kNoDay;
  const int32_t day = DayOfDate(text);
  if (day == kNoDay || text.size() != 10) {
    return InvalidArgument(std::string(name) + " '" + text + "' is not a date: write YYYY-MM-DD");
  }
  return day;
}

Status Check(bool ok, const std::string& message) {
  return ok ? Status::Ok() : InvalidArgument(message);
}

Status CheckRequest(const Request& r) {
  if (std::find(std::begin(kQueries), std::end(kQueries), r.query) == std::end(kQueries)) {
    return InvalidArgument(
        "unknown graph query '" + r.query +
        "': use neighbours, path, paths, connect, components, communities, central or timeline");
  }
  const size_t ids = r.ids.size();
  if (r.query == "neighbours" || r.query == "timeline")
    URA_RETURN_IF_ERROR(Check(ids == 1, r.query + " takes one entity id"));
  if (r.query == "path" || r.query == "paths")
    URA_RETURN_IF_ERROR(Check(ids == 2, r.query + " takes two entity ids"));
  if (r.query == "connect")
    URA_RETURN_IF_ERROR(Check(ids >= 2 && ids <= 50, "connect takes 2 to 50 entity ids"));
  URA_RETURN_IF_ERROR(Check(r.hops >= 1 && r.hops <= 6, "hops must be 1 to 6"));
  URA_RETURN_IF_ERROR(
      Check(r.max_nodes >= 1 && r.max_nodes <= 100000, "max nodes must be 1 to 100000"));
  URA_RETURN_IF_ERROR(Check(r.k >= 1 && r.k <= 100, "k must be 1 to 100"));
  URA_RETURN_IF_ERROR(Check(r.limit >= 1 && r.limit <= 1000000, "limit must be 1 to 1000000"));
  URA_RETURN_IF_ERROR(
      Check(r.samples >= 1 && r.samples <= 1000000, "samples must be 1 to 1000000"));
  URA_RETURN_IF_ERROR(
      Check(r.resolution > 0 && r.resolution <= 100, "resolution must be above 0 and at most 100"));
  URA_RETURN_IF_ERROR(
      Check(r.measure == "degree" || r.measure == "pagerank" || r.measure == "betweenness",
            "unknown measure '" + r.measure + "': use degree, pagerank or betweenness"));
  return Status::Ok();
}

// The request's filters on top of the access mask.
Status ApplyFilters(const Graph& g, const Request& r, Filter& f) {
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  if (!r.schemata.empty()) {
    f.schema_ok.assign(g.schema_names().size(), 0);
    for (const std::string& s : r.schemata) {
      const model::Schema* schema = registry.Find(s);
      if (schema == nullptr) {
        return InvalidArgument("unknown schema '" + s + "'" +
                               (registry.SuggestSchema(s).empty()
                                    ? ""
                                    : " (did you mean " + registry.SuggestSchema(s) + "?)"));
      }
      for (size_t k = 0; k < g.schema_names().size(); ++k) {
        const model::Schema* have = registry.Find(g.schema_names()[k]);
        if (have != nullptr && have->IsA(*schema)) f.schema_ok[k] = 1;
      }
    }
  }
  if (!r.edge_types.empty()) {
    f.edge_type_ok.assign(g.edge_type_names().size(), 0);
    for (const std::string& t : r.edge_types) {
      const int type = g.FindEdgeType(t);
      if (type >= 0) {
        f.edge_type_ok[static_cast<size_t>(type)] = 1;
        continue;
      }
      // A well-formed type this store has no edges of yet selects nothing; anything else is a typo.
      const model::Schema* link = registry.Find(t);
      if ((link != nullptr && link->is_edge()) || t == "same-person" || t.rfind("same:", 0) == 0 ||
          t.rfind("ref:", 0) == 0) {
        continue;
      }
      std::string known;
      for (const std::string& name : g.edge_type_names())
        known += (known.empty() ? "" : ", ") + name;
      return InvalidArgument("unknown edge type '" + t +
                             "': use a link schema (Family, Payment ...), same-person, "
                             "same:TYPE or ref:PROPERTY; this graph has " +
                             known);
    }
  }
  URA_ASSIGN_OR_RETURN(f.day_from, DayArgument(r.from, "from"));
  URA_ASSIGN_OR_RETURN(f.day_to, DayArgument(r.to, "to"));
  return Status::Ok();
}

std::string Detail(const Request& r) {
  std::string d = r.query;
  for (const std::string& id : r.ids) d += " " + id;
  for (const std::string& t : r.edge_types) d += " type=" + t;
  for (const std::string& s : r.schemata) d += " schema=" + s;
  if (!r.from.empty()) d += " from=" + r.from;
  if (!r.to.empty()) d += " to=" + r.to;
  if (r.query == "neighbours") d += " hops=" + std::to_string(r.hops);
  if (r.query == "central") d += " measure=" + r.measure;
  return d;
}

// Groups (components or communities) as listed: largest first, members in id order.
Result<json> Groups(const Graph& g, const Request& r, const Components& c, Shown& shown) {
  std::vector<std::vector<uint32_t>> members(c.sizes.size());
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    if (c.component[n] == kNoNode || c.sizes[c.component[n]] < r.min_size) continue;
    if (!r.show.empty() && g.schema_name(n) != r.show) continue;
    members[c.component[n]].push_back(n);
  }
  json list = json::array();
  size_t listed = 0;
  for (size_t k = 0; k < members.size() && listed < r.limit; ++k) {
    if (c.sizes[k] < r.min_size) break;  // sizes decrease
    if (members[k].empty()) continue;
    json ids = json::array();
    for (uint32_t n : members[k]) {
      ids.push_back(g.id(n));
    }
    // Members are listed by id (no captions: a community can be large); each is audited.
    for (uint32_t n : members[k]) shown.Audit(n);
    list.push_back({{"size", c.sizes[k]}, {"members", ids}});
    ++listed;
  }
  return json{{"total", c.sizes.size()}, {"groups", list}};
}

}  // namespace

Result<Filter> FilterFor(const Graph& graph, const access::Principal& who) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kConsult));
  Filter filter;
  if (who.custodian()) return filter;
  std::vector<uint8_t> marking_ok;
  marking_ok.reserve(graph.markings().size());
  for (const model::Marking& m : graph.markings())
    marking_ok.push_back(access::MaySee(who, m).allowed ? 1 : 0);
  filter.visible.resize(graph.node_count());
  for (uint32_t n = 0; n < graph.node_count(); ++n)
    filter.visible[n] = marking_ok[graph.marking(n)];
  return filter;
}

audit::Record ConsultationRecord(const Graph& graph, std::string action, std::string detail,
                                 const std::vector<uint32_t>& nodes,
                                 const std::vector<uint32_t>& edges) {
  audit::Record record;
  record.action = std::move(action);
  record.detail = std::move(detail);
  for (uint32_t n : nodes) record.AddObject(graph.id(n));
  for (uint32_t e : edges) {
    if (graph.edge(e).via != kNoNode) record.AddObject(graph.id(graph.edge(e).via));
  }
  return record;
}

Result<Answer> Consult(const Graph& g, index::Index& idx, const access::Principal& who,
                       const Request& r) {
  URA_RETURN_IF_ERROR(CheckRequest(r));
  URA_ASSIGN_OR_RETURN(Filter f, FilterFor(g, who));
  URA_RETURN_IF_ERROR(ApplyFilters(g, r, f));
  Answer answer;
  answer.record.action = "graph-" + r.query;
  answer.record.detail = Detail(r);
  std::vector<uint32_t> nodes;
  for (const std::string& id : r.ids) {
    const uint32_t n = g.Find(id);
    // A hidden entity answers as one that does not exist; the record keeps the difference.
    if (n == kNoNode || (!f.visible.empty() && !f.visible[n]) || (g.flags(n) & kLinkNode)) {
      answer.record.AddObject(id);
      answer.record.outcome = n == kNoNode || (g.flags(n) & kLinkNode) ? "not-found" : "denied";
      answer.not_found = "no entity with id '" + id +
                         "' in the graph (find ids with `ura search`; links are edges)";
      return answer;
    }
    nodes.push_back(n);
  }
  Shown shown(g, idx, answer.record);
  json& out = answer.json;
  if (r.query == "neighbours") {
    Subgraph s = Neighbourhood(g, f, nodes[0], r.hops, r.max_nodes);
    URA_ASSIGN_OR_RETURN(json list, shown.Nodes(s.nodes));
    for (size_t i = 0; i < s.nodes.size(); ++i) list[i]["distance"] = s.distance[i];
    out = {{"seed", r.ids[0]},
           {"nodes", list},
           {"edges", shown.Edges(s.edges)},
           {"truncated", s.truncated}};
  } else if (r.query == "path" || r.query == "paths") {
    const std::vector<Path> paths =
        r.query == "path" ? std::vector<Path>() : KShortestPaths(g, f, nodes[0], nodes[1], r.k);
    std::vector<Path> found = paths;
    if (r.query == "path") {
      if (std::optional<Path> p = ShortestPath(g, f, nodes[0], nodes[1]))
        found.push_back(std::move(*p));
    }
    json list = json::array();
    for (const Path& p : found) {
      URA_ASSIGN_OR_RETURN(json j, shown.PathJson(p));
      list.push_back(std::move(j));
    }
    out = {{"from", r.ids[0]}, {"to", r.ids[1]}, {"paths", list}};
  } else if (r.query == "connect") {
    Connection c = Connect(g, f, nodes);
    URA_ASSIGN_OR_RETURN(json list, shown.Nodes(c.tree.nodes));
    json unreached = json::array();
    for (uint32_t n : c.unreached) unreached.push_back(g.id(n));
    out = {{"nodes", list}, {"edges", shown.Edges(c.tree.edges)}, {"unreached", unreached}};
  } else if (r.query == "components") {
    URA_ASSIGN_OR_RETURN(out, Groups(g, r, ConnectedComponents(g, f), shown));
  } else if (r.query == "communities") {
    CommunityOptions options;
    options.resolution = r.resolution;
    options.seed = r.seed;
    Components c = Communities(g, f, options);
    URA_ASSIGN_OR_RETURN(out, Groups(g, r, c, shown));
    out["modularity"] = Modularity(g, f, c.component, r.resolution);
  } else if (r.query == "central") {
    std::vector<double> score = r.measure == "degree"     ? DegreeCentrality(g, f)
                                : r.measure == "pagerank" ? PageRank(g, f)
                                                          : Betweenness(g, f, r.samples, r.seed);
    std::vector<uint32_t> order;
    for (uint32_t n = 0; n < g.node_count(); ++n) {
      if (f.NodeOk(g, n) && (r.show.empty() || g.schema_name(n) == r.show)) order.push_back(n);
    }
    const size_t shown_count = std::min(order.size(), r.limit);
    std::partial_sort(
        order.begin(), order.begin() + static_cast<ptrdiff_t>(shown_count), order.end(),
        [&](uint32_t a, uint32_t b) { return score[a] != score[b] ? score[a] > score[b] : a < b; });
    order.resize(shown_count);
    URA_ASSIGN_OR_RETURN(json list, shown.Nodes(order));
    for (size_t i = 0; i < order.size(); ++i) list[i]["score"] = score[order[i]];
    out = {{"measure", r.measure}, {"nodes", list}};
  } else {  // timeline
    json events = json::array();
    for (const TimelineEvent& t : Timeline(g, f, nodes[0])) {
      URA_ASSIGN_OR_RETURN(json e, shown.Node(t.event));
      e["date"] = DateOfDay(t.day);
      if (t.through != kNoNode) {
        // The asset it came through (an account, a vehicle), shown by its caption too.
        URA_ASSIGN_OR_RETURN(json via, shown.Node(t.through));
        e["through"] = g.id(t.through);
        e["through_caption"] = via.value("caption", "");
      }
      if (t.other != kNoNode) {
        URA_ASSIGN_OR_RETURN(json other, shown.Node(t.other));
        e["other"] = other;
      }
      events.push_back(std::move(e));
    }
    out = {{"entity", r.ids[0]}, {"events", events}};
  }
  return answer;
}

}  // namespace ura::graph
