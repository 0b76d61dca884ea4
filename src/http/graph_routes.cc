// The API's link-analysis routes, GET /api/v1/graph/{query} (neighbours, path, paths, connect,
// components, communities, central, timeline; the parameters of graph::Request), and the AML
// alerts, GET /api/v1/aml/alerts, and one by id, GET /api/v1/aml/alerts/{id} (the web UI's
// alert view: audited for that alert's records only). Consultations like search: a
// justification is required, the access rules apply (graph/consult.h, aml::ListAlerts) and the
// record is durable before the answer is sent. The graph is read from the index on first use;
// after an ingest, the new entity versions come from the journal and the graph is laid out
// again from memory.
#include "http/graph_routes.h"

#include <algorithm>
#include <charconv>

#include "aml/aml.h"
#include "graph/consult.h"
#include "graph/load.h"
#include "http/api_server.h"
#include "http/replies.h"

namespace ura::http {

namespace {

using nlohmann::json;

constexpr const char* kGraphPattern =
    R"(/api/v1/graph/(neighbours|path|paths|connect|components|communities|central|timeline))";
constexpr const char* kAlertPattern = R"(/api/v1/aml/alerts/(AML-[0-9a-f]{16}))";

// Reads the query parameters into a request; a message for a 400 if one is unknown or bad.
std::optional<std::string> DecodeGraphRequest(const httplib::Request& req, graph::Request& r) {
  auto count = [&](const char* name, auto& out, uint64_t lo,
                   uint64_t hi) -> std::optional<std::string> {
    if (!req.has_param(name)) return std::nullopt;
    const std::string text = req.get_param_value(name);
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) {
      return std::string(name) + " must be a whole number from " + std::to_string(lo) + " to " +
             std::to_string(hi);
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(value);
    return std::nullopt;
  };
  static const char* const kKnown[] = {"id",   "hops",    "max_nodes", "type",       "schema",
                                       "from", "to",      "k",         "limit",      "min_size",
                                       "show", "measure", "samples",   "resolution", "seed"};
  for (const auto& param : req.params) {
    const std::string& name = param.first;
    if (std::find_if(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return name == k; }) == std::end(kKnown)) {
      return "unknown parameter '" + name + "' (see /api/v1/openapi.json)";
    }
  }
  for (size_t i = 0; i < req.get_param_value_count("id"); ++i)
    r.ids.push_back(req.get_param_value("id", i));
  for (size_t i = 0; i < req.get_param_value_count("type"); ++i)
    r.edge_types.push_back(req.get_param_value("type", i));
  for (size_t i = 0; i < req.get_param_value_count("schema"); ++i)
    r.schemata.push_back(req.get_param_value("schema", i));
  r.from = req.get_param_value("from");
  r.to = req.get_param_value("to");
  r.show = req.get_param_value("show");
  if (req.has_param("measure")) r.measure = req.get_param_value("measure");
  for (auto problem :
       {count("hops", r.hops, 1, 6), count("max_nodes", r.max_nodes, 1, 100000),
        count("k", r.k, 1, 100), count("limit", r.limit, 1, 100000),
        count("min_size", r.min_size, 1, 1000000), count("samples", r.samples, 1, 100000),
        count("seed", r.seed, 0, UINT64_MAX)}) {
    if (problem) return problem;
  }
  if (req.has_param("resolution")) {
    const std::string text = req.get_param_value("resolution");
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
      return "resolution must be a number above 0";
    r.resolution = value;
  }
  return std::nullopt;
}

void ConsultationError(httplib::Response& res, const Status& s) {
  if (s.code() == StatusCode::kPermissionDenied) return Error(res, 403, "forbidden", s.message());
  if (s.code() == StatusCode::kInvalidArgument) return Error(res, 400, "bad_query", s.message());
  Error(res, 503, "unavailable", "the index or the journal cannot be read now");
}

}  // namespace

Result<std::shared_ptr<const graph::Graph>> ApiServer::CurrentGraph(index::Index& index) {
  std::lock_guard lock(graph_mu_);
  URA_RETURN_IF_ERROR(index.Refresh());
  const uint64_t size = index.applied_size();
  if (graph_ != nullptr && graph_size_ == size) return graph_;
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  bool resolution_changed = graph_state_ == nullptr;
  if (graph_state_ == nullptr || size < graph_size_) {
    auto state = std::make_shared<graph::GraphState>(registry);
    URA_RETURN_IF_ERROR(graph::AddIndex(*state, index, registry));
    graph_state_ = std::move(state);
    resolution_changed = true;
  } else {
    // Only what the index applied since: the entity versions (and whether a resolution run
    // was stored) from the journal, not the whole index again.
    Status added = graph::AddJournal(*graph_state_, DefaultFileSystem(), journal_.paths(),
                                     journal_.keyring(), graph_size_, size, resolution_changed);
    if (!added.ok()) {
      graph_state_.reset();  // half applied: start afresh next time
      return added;
    }
  }
  if (resolution_changed) {
    URA_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> persons, graph::IndexPersons(index));
    graph_state_->SetPersons(std::move(persons));
  }
  graph_ = std::make_shared<const graph::Graph>(graph_state_->Build());
  graph_size_ = size;
  return graph_;
}

void ApiServer::GraphRoutes() {
  server_->Get(kGraphPattern, [this](const httplib::Request& req, httplib::Response& res) {
    graph::Request request;
    request.query = req.matches[1];
    std::string justification;
    std::optional<access::User> user =
        Permitted(req, res, access::Action::kConsult, "graph-" + request.query, &justification);
    if (!user) return;
    if (std::optional<std::string> problem = DecodeGraphRequest(req, request)) {
      return Error(res, 400, "bad_query", *problem);
    }
    Result<graph::Answer> answer = Internal("not run");
    {
      IndexLease index(*this);
      Result<std::shared_ptr<const graph::Graph>> g = CurrentGraph(*index);
      answer = g.ok() ? graph::Consult(**g, *index, {user->name, &*user}, request)
                      : Result<graph::Answer>(g.status());
    }
    if (!answer.ok()) return ConsultationError(res, answer.status());
    answer->record.justification = justification;
    if (Status s = AuditRequest(user->name, req, answer->record); !s.ok()) {
      return Error(res, 503, "audit_unavailable",
                   "the consultation could not be recorded, so nothing is shown");
    }
    // Not there, or not for this user: the same answer (the audit record keeps the difference).
    if (!answer->not_found.empty()) return Error(res, 404, "not_found", answer->not_found);
    Reply(res, 200, answer->json);
  });

  server_->Get("/api/v1/aml/alerts", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user =
        Permitted(req, res, access::Action::kConsult, "aml-alerts", &justification);
    if (!user) return;
    size_t limit = 50;
    if (req.has_param("limit")) {
      const std::string text = req.get_param_value("limit");
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
      if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 10000) {
        return Error(res, 400, "bad_limit", "limit must be a number from 1 to 10000");
      }
    }
    Result<aml::AlertsAnswer> answer =
        aml::ListAlerts(DefaultFileSystem(), journal_.paths(), journal_.keyring(),
                        {user->name, &*user}, req.get_param_value("typology"), limit);
    if (!answer.ok()) return ConsultationError(res, answer.status());
    answer->record.justification = justification;
    if (Status s = AuditRequest(user->name, req, answer->record); !s.ok()) {
      return Error(res, 503, "audit_unavailable",
                   "the consultation could not be recorded, so nothing is shown");
    }
    json list = json::array();
    for (const aml::Alert& a : answer->alerts) list.push_back(aml::AlertJson(a));
    Reply(res, 200, json{{"alerts", list}});
  });

  server_->Get(kAlertPattern, [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user =
        Permitted(req, res, access::Action::kConsult, "aml-alert", &justification);
    if (!user) return;
    const std::string id = req.matches[1];
    Result<std::vector<aml::Alert>> stored =
        aml::LoadAlerts(DefaultFileSystem(), journal_.paths(), journal_.keyring());
    if (!stored.ok()) return ConsultationError(res, stored.status());
    auto alert = std::find_if(stored->begin(), stored->end(),
                              [&](const aml::Alert& a) { return a.id == id; });
    // As ListAlerts: the user may see the strictest of its payments' markings.
    const bool shown =
        alert != stored->end() && access::MaySee({user->name, &*user}, alert->marking).allowed;
    audit::Record record;
    record.action = "aml-alert";
    record.detail = id;
    record.justification = justification;
    if (shown) {
      for (const std::string& x : alert->transactions) record.AddObject(x);
      for (const std::string& x : alert->accounts) record.AddObject(x);
      for (const std::string& x : alert->owners) record.AddObject(x);
    } else {
      record.outcome = alert == stored->end() ? "not-found" : "denied";
    }
    if (Status s = AuditRequest(user->name, req, record); !s.ok()) {
      return Error(res, 503, "audit_unavailable",
                   "the consultation could not be recorded, so nothing is shown");
    }
    // Not stored, or not for this user: the same answer (the audit record keeps the difference).
    if (!shown) return Error(res, 404, "not_found", "no alert with id '" + id + "'");
    Reply(res, 200, aml::AlertJson(*alert));
  });
}

std::string GraphRouteOf(const std::string& path) {
  if (path == "/api/v1/aml/alerts") return path;
  if (path.rfind("/api/v1/aml/alerts/", 0) == 0) return "/api/v1/aml/alerts/{id}";
  for (const char* q : graph::kQueries) {
    if (path == std::string("/api/v1/graph/") + q) return path;
  }
  return "";
}

void AddGraphPaths(json& paths, const json& bearer, const json& justification, const json& error) {
  const json str = {{"type", "string"}};
  auto param = [&](const char* name, json schema, const char* description) {
    return json{{"name", name}, {"in", "query"}, {"schema", schema}, {"description", description}};
  };
  auto integer = [](int64_t lo, int64_t hi) {
    return json{{"type", "integer"}, {"minimum", lo}, {"maximum", hi}};
  };
  const json ids = {{"type", "array"}, {"items", str}};
  const json filters = json::array(
      {justification,
       param("type", ids,
             "Only edges of these types (Family, Payment, same:phone, ref:holder ...); repeat"),
       param("schema", ids, "Only entities of these schemata; repeat"),
       param("from", str, "Only edges dated on or after YYYY-MM-DD"),
       param("to", str, "Only edges dated on or before YYYY-MM-DD")});
  auto op = [&](const char* summary, json extra) {
    json parameters = filters;
    for (json& p : extra) parameters.push_back(p);
    return json{{"get",
                 {{"summary", summary},
                  {"security", bearer},
                  {"parameters", parameters},
                  {"responses",
                   {{"200", {{"description", "answer"}}},
                    {"400", error},
                    {"401", error},
                    {"403", error},
                    {"404", error}}}}}};
  };
  const json one_id = param("id", str, "Entity id");
  const json two_ids = param("id", ids, "Two entity ids: id=A&id=B");
  const json groups = json::array({param("limit", integer(1, 100000), "Most listed"),
                                   param("min_size", integer(1, 1000000), "Smallest listed"),
                                   param("show", str, "List members of this schema only")});
  paths["/api/v1/graph/neighbours"] =
      op("Entities within hops of an entity, and the edges among them",
         {one_id, param("hops", integer(1, 6), "How far (default 2)"),
          param("max_nodes", integer(1, 100000), "Most entities (default 200)")});
  paths["/api/v1/graph/path"] =
      op("A shortest path between two entities the user may see", {two_ids});
  paths["/api/v1/graph/paths"] =
      op("The k shortest loopless paths (Yen)", {two_ids, param("k", integer(1, 100), "How many")});
  paths["/api/v1/graph/connect"] = op("What connects these entities: a small tree joining them",
                                      {param("id", ids, "2 to 50 entity ids")});
  paths["/api/v1/graph/components"] = op("Connected components, largest first", groups);
  json community = groups;
  community.push_back(
      param("resolution", {{"type", "number"}}, "Modularity resolution (default 1)"));
  community.push_back(param("seed", integer(0, INT64_MAX), "Random seed (default 1)"));
  paths["/api/v1/graph/communities"] =
      op("Communities (Louvain moves with Leiden's refinement)", community);
  paths["/api/v1/graph/central"] =
      op("The most central entities (brokers)",
         {param("measure", str, "degree, pagerank (default) or betweenness"),
          param("limit", integer(1, 100000), "Most listed"), param("show", str, "This schema only"),
          param("samples", integer(1, 100000), "Betweenness: sources sampled")});
  paths["/api/v1/graph/timeline"] = op("An entity's events in date order", {one_id});
  paths["/api/v1/aml/alerts"] = {
      {"get",
       {{"summary", "Stored money-laundering alerts the user may see, oldest first"},
        {"security", bearer},
        {"parameters",
         json::array({justification, param("typology", str, "Only this typology"),
                      param("limit", integer(1, 10000), "Most alerts (default 50)")})},
        {"responses",
         {{"200", {{"description", "alerts"}}}, {"400", error}, {"401", error}, {"403", error}}}}}};
  const json alert_id = {{"name", "id"},
                         {"in", "path"},
                         {"required", true},
                         {"schema", str},
                         {"description", "Alert id: AML- and 16 hex digits"}};
  paths["/api/v1/aml/alerts/{id}"] = {
      {"get",
       {{"summary", "One stored alert, if the user may see it (as in the list)"},
        {"security", bearer},
        {"parameters", json::array({justification, alert_id})},
        {"responses",
         {{"200", {{"description", "the alert"}}},
          {"400", error},
          {"401", error},
          {"403", error},
          {"404", error}}}}}};
}

}  // namespace ura::http
