// `ura graph neighbours|path|paths|connect|components|communities|central|timeline`: link
// analysis on the graph projection of the index (src/graph), with the latest entity
// resolution run's canonical persons joined in. Runs as the consultant (--as, else the
// custodian) under the access rules; every answer is audited before it is shown.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/store_session.h"
#include "graph/consult.h"
#include "graph/load.h"
#include "service/consult.h"

namespace ura::cli {

namespace {

using nlohmann::json;

// The graph of the store: every entity of the index, and the canonical persons.
Result<graph::Graph> LoadStoreGraph(Context& ctx, StoreSession& session) {
  graph::Graph g;
  URA_RETURN_IF_ERROR(session.ReadIndex(ctx, [&](index::Index& idx) -> Status {
    URA_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> persons, graph::IndexPersons(idx));
    URA_ASSIGN_OR_RETURN(g, graph::LoadGraph(idx, model::SchemaRegistry::Builtin(), persons));
    return Status::Ok();
  }));
  return g;
}

std::string NodeText(const json& n) {
  std::string s =
      n.value("schema", "") + " \"" + n.value("caption", "") + "\" " + n.value("id", "");
  if (n.contains("date")) s += " (" + n["date"].get<std::string>() + ")";
  return s;
}

std::string EdgeText(const json& e) {
  std::string s = e["from"].get<std::string>() + " -[" + e["type"].get<std::string>();
  if (e.contains("from_date")) s += " " + e["from_date"].get<std::string>();
  s += "]- " + e["to"].get<std::string>();
  return s;
}

void PrintText(std::ostream& out, const graph::Request& r, const json& j) {
  if (r.query == "neighbours") {
    for (const json& n : j["nodes"])
      out << "  " << n["distance"].get<int>() << "  " << NodeText(n) << "\n";
    out << j["nodes"].size() << " entities, " << j["edges"].size() << " edges"
        << (j["truncated"].get<bool>() ? " (stopped at --max-nodes)" : "") << "\n";
  } else if (r.query == "path" || r.query == "paths") {
    if (j["paths"].empty()) out << "no path between them (among what you may see)\n";
    int number = 0;
    for (const json& p : j["paths"]) {
      out << "path " << ++number << " (" << p["length"].get<int>() << " steps)\n";
      for (size_t i = 0; i < p["nodes"].size(); ++i) {
        out << "  " << NodeText(p["nodes"][i]) << "\n";
        if (i < p["edges"].size()) out << "    " << EdgeText(p["edges"][i]) << "\n";
      }
    }
  } else if (r.query == "connect") {
    for (const json& n : j["nodes"]) out << "  " << NodeText(n) << "\n";
    for (const json& e : j["edges"]) out << "    " << EdgeText(e) << "\n";
    for (const json& u : j["unreached"]) out << "not connected: " << u.get<std::string>() << "\n";
  } else if (r.query == "components" || r.query == "communities") {
    int number = 0;
    for (const json& g : j["groups"]) {
      out << ++number << ". " << g["size"].get<uint64_t>() << " entities:";
      size_t listed = 0;
      for (const json& id : g["members"]) {
        if (listed++ == 12) {
          out << " ...";
          break;
        }
        out << " " << id.get<std::string>();
      }
      out << "\n";
    }
    out << j["total"].get<uint64_t>() << " " << r.query << " in all";
    if (j.contains("modularity"))
      out << ", modularity " << std::fixed << std::setprecision(4) << j["modularity"].get<double>();
    out << "\n";
  } else if (r.query == "central") {
    for (const json& n : j["nodes"]) {
      out << "  " << std::setw(12) << std::setprecision(6) << n["score"].get<double>() << "  "
          << NodeText(n) << "\n";
    }
  } else {
    for (const json& e : j["events"]) {
      out << "  " << e["date"].get<std::string>() << "  " << NodeText(e);
      if (e.contains("through")) out << " via " << e["through"].get<std::string>();
      if (e.contains("other")) out << " with " << NodeText(e["other"]);
      out << "\n";
    }
  }
}

int RunQuery(Context& ctx, graph::Request request) {
  auto session = StoreSession::OpenForConsultation(ctx);
  if (!session.ok()) return ReportError(ctx, session.status());
  StoreSession& s = **session;
  auto who = s.Authorise(ctx, access::Action::kConsult, "graph-" + request.query);
  if (!who.ok()) return ReportError(ctx, who.status());
  Result<graph::Graph> g = LoadStoreGraph(ctx, s);
  if (!g.ok()) return ReportError(ctx, g.status().WithContext("building the graph"));
  Result<graph::Answer> answer = graph::Answer();
  Status read = s.ReadIndex(ctx, [&](index::Index& idx) {
    answer = graph::Consult(*g, idx, *who, request);
    return answer.status();
  });
  if (!read.ok()) return ReportError(ctx, read);
  if (Status written = s.Audit(ctx, answer->record); !written.ok()) {
    return ReportError(ctx, written.WithContext("writing the audit record (nothing was shown)"));
  }
  if (!answer->not_found.empty()) return ReportError(ctx, NotFound(answer->not_found));
  if (ctx.json) {
    *ctx.out << answer->json.dump(2) << "\n";
  } else {
    PrintText(*ctx.out, request, answer->json);
  }
  return kExitOk;
}

// Splits "a,b" option values.
std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      const size_t comma = v.find(',', start);
      const std::string part =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

void RegisterGraphCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto request = std::make_shared<graph::Request>();
  auto types = std::make_shared<std::vector<std::string>>();
  auto schemata = std::make_shared<std::vector<std::string>>();
  auto* graph_cmd = app.add_subcommand("graph",
                                       "Link analysis: neighbourhoods, paths, what connects "
                                       "people, components, communities, brokers, timelines");
  graph_cmd->require_subcommand(1);
  auto filters = [&](CLI::App* cmd) {
    cmd->add_option("--type", *types,
                    "Only edges of these types (e.g. Family, Payment, same:phone, ref:holder); "
                    "repeat or comma-separate");
    cmd->add_option("--schema", *schemata,
                    "Only entities of these schemata (and their descendants)");
    cmd->add_option("--from", request->from,
                    "Only edges dated on or after YYYY-MM-DD (undated edges stay)");
    cmd->add_option("--to", request->to,
                    "Only edges dated on or before YYYY-MM-DD (undated edges stay)");
  };
  auto run = [&ctx, &exit_code, request, types, schemata](const char* query) {
    return [&ctx, &exit_code, request, types, schemata, query] {
      request->query = query;
      request->edge_types = SplitCommas(*types);
      request->schemata = SplitCommas(*schemata);
      exit_code = RunQuery(ctx, *request);
    };
  };
  struct Spec {
    const char* name;
    const char* help;
    const char* ids;
    int count;  // ids expected; -1: two or more
  };
  const Spec specs[] = {
      {"neighbours", "Entities within --hops of an entity, and the edges among them", "ID", 1},
      {"path", "A shortest path between two entities", "A B", 2},
      {"paths", "The --k shortest loopless paths between two entities", "A B", 2},
      {"connect", "What connects these entities: a small tree joining them", "ID...", -1},
      {"components", "Connected components, largest first", "", 0},
      {"communities", "Communities (Louvain moves with Leiden's refinement), largest first", "", 0},
      {"central", "The most central entities: --measure degree, pagerank or betweenness (brokers)",
       "", 0},
      {"timeline", "An entity's events in date order (crossings, payments of its accounts, links)",
       "ID", 1},
  };
  for (const Spec& spec : specs) {
    CLI::App* cmd = graph_cmd->add_subcommand(spec.name, spec.help);
    if (spec.count != 0) {
      auto* ids = cmd->add_option(spec.ids, request->ids, "Entity ids")->required();
      if (spec.count > 0) ids->expected(spec.count);
      if (spec.count < 0) ids->expected(2, 50);
    }
    filters(cmd);
    const std::string name = spec.name;
    if (name == "neighbours") {
      cmd->add_option("--hops", request->hops, "How far (default 2)")->check(CLI::Range(1, 6));
      cmd->add_option("--max-nodes", request->max_nodes,
                      "Stop after this many entities (default 200)")
          ->check(CLI::Range(1, 100000));
    }
    if (name == "paths")
      cmd->add_option("--k", request->k, "How many paths (default 3)")->check(CLI::Range(1, 100));
    if (name == "components" || name == "communities" || name == "central") {
      cmd->add_option("--limit", request->limit, "Most listed (default 20)")
          ->check(CLI::Range(1, 1000000));
      cmd->add_option("--show", request->show, "List entities of this schema only (e.g. Person)");
    }
    if (name == "components" || name == "communities") {
      cmd->add_option("--min-size", request->min_size, "Smallest listed (default 2)")
          ->check(CLI::Range(1, 1000000));
    }
    if (name == "communities") {
      cmd->add_option("--resolution", request->resolution,
                      "Modularity resolution (default 1; higher: smaller communities)");
      cmd->add_option("--seed", request->seed, "Random seed of the node order (default 1)");
    }
    if (name == "central") {
      cmd->add_option("--measure", request->measure, "degree, pagerank (default) or betweenness");
      cmd->add_option("--samples", request->samples,
                      "Betweenness: source entities sampled (default 256)")
          ->check(CLI::Range(1, 1000000));
    }
    cmd->callback(run(spec.name));
  }
}

}  // namespace ura::cli
