// The API's exchange routes (issue 10, docs/exchange.md), for liaison officers: export a
// package to a partner force, import a partner's package, run a partner's hit/no-hit filter.
// The rules and formats are src/exchange's; every disclosure, import and match is an audit
// record before the answer. Packages and filters travel as application/octet-stream bodies
// (at most the server's body limit, 1 MiB by default: larger ones through the command line).
#include <mutex>

#include "exchange/hit_no_hit.h"
#include "exchange/partners.h"
#include "exchange/transfer.h"
#include "http/api_server.h"
#include "http/replies.h"
#include "http/requests.h"
#include "service/consult.h"
#include "service/store_writer.h"

namespace ura::http {

namespace {

using nlohmann::json;

// HTTP status of an exchange refusal.
int StatusOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 413;
    default: return 503;
  }
}

}  // namespace

void ApiServer::ExchangeRoutes() {
  server_->Post("/api/v1/exchange/export", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kDisclose, "disclose", &justification);
    if (!user) return;
    Decoded<ExportRequestBody> decoded = DecodeExportRequest(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    const ExportRequestBody& body = std::get<ExportRequestBody>(decoded);
    auto provenance = exchange::ParseProvenanceLevel(body.provenance);
    if (!provenance.ok()) return Error(res, 400, "bad_value", provenance.status().message());
    exchange::ExportRequest request;
    request.partner = body.to;
    request.query = body.select;
    request.ids = body.ids;
    request.handling = body.handling;
    request.purpose = body.purpose;
    request.provenance = *provenance;
    auto state = exchange::LoadExchangeState(DefaultFileSystem(), journal_.paths(), journal_.keyring());
    if (!state.ok()) return Error(res, 503, "unavailable", "the exchange keys cannot be read now");
    const access::Principal who{user->name, &*user};
    Result<exchange::ExportResult> result = exchange::ExportResult();
    {
      IndexLease index(*this);
      result = exchange::Export(*index, who, *state, request, clock_.NowMicros());
    }
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kPermissionDenied) {
        AuditRequest(user->name, req, service::DeniedRecord("disclose", {false, result.status().message()})).IgnoreError();
      }
      return Error(res, StatusOf(result.status()), "refused", result.status().message());
    }
    result->record.justification = justification;
    if (!AuditRequest(user->name, req, result->record).ok()) {
      return Error(res, 503, "audit_unavailable", "the disclosure could not be recorded: no package was made");
    }
    res.status = 200;
    res.set_header("X-Ura-Package", result->body.id);
    res.set_header("X-Ura-Entities", std::to_string(result->ids.size()));
    res.set_header("X-Ura-Withheld", std::to_string(result->withheld));
    res.set_content(std::string(AsString(result->package)), "application/octet-stream");
  });

  server_->Post("/api/v1/exchange/import", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user =
        Permitted(req, res, access::Action::kReceive, "exchange-import", &justification);
    if (!user) return;
    std::vector<std::string> cases;
    for (size_t i = 0; i < req.get_param_value_count("case"); ++i) cases.push_back(req.get_param_value("case", i));
    // One import at a time: the replay check and the receipt must not interleave.
    std::lock_guard exchange_lock(exchange_mu_);
    auto state = exchange::LoadExchangeState(DefaultFileSystem(), journal_.paths(), journal_.keyring());
    if (!state.ok()) return Error(res, 503, "unavailable", "the exchange keys cannot be read now");
    const access::Principal who{user->name, &*user};
    Result<exchange::ImportPlan> plan = exchange::ImportPlan();
    {
      IndexLease index(*this);
      plan = exchange::PrepareImport(AsBytes(req.body), *index, who, *state, cases, model::SchemaRegistry::Builtin(),
                                     clock_.NowMicros());
    }
    if (!plan.ok()) return Error(res, StatusOf(plan.status()), "refused", plan.status().message() + " (nothing stored)");
    if (!plan->versions.empty()) {
      service::StoreWriter writer(journal_, index_, &store_mu_);
      if (Status w = writer.Write(plan->versions); !w.ok()) return Error(res, 503, "unavailable", w.message());
    }
    const journal::EntryInput receipt{exchange::kEntryTypeReceived, AsBytes(plan->receipt)};
    if (!journal_.Append({&receipt, 1}).ok()) return Error(res, 503, "unavailable", "the receipt could not be written");
    plan->record.justification = justification;
    if (!AuditRequest(user->name, req, plan->record).ok()) {
      return Error(res, 503, "audit_unavailable", "the import is stored but its audit record failed; tell the auditor");
    }
    const exchange::PackageBody& body = plan->package.body;
    Reply(res, 200, json{{"package", body.id},
                         {"from", plan->partner->name},
                         {"handling", model::HandlingCodeName(body.handling)},
                         {"purpose", body.purpose},
                         {"entities", plan->entities},
                         {"new_versions", plan->versions.size()},
                         {"ids", plan->record.objects}});
  });

  server_->Post("/api/v1/exchange/match", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kReceive, "match", &justification);
    if (!user) return;
    auto state = exchange::LoadExchangeState(DefaultFileSystem(), journal_.paths(), journal_.keyring());
    if (!state.ok()) return Error(res, 503, "unavailable", "the exchange keys cannot be read now");
    const access::Principal who{user->name, &*user};
    Result<exchange::MatchResult> matched = exchange::MatchResult();
    {
      IndexLease index(*this);
      matched = exchange::RunMatchFilter(AsBytes(req.body), *index, who, *state);
    }
    if (!matched.ok()) return Error(res, StatusOf(matched.status()), "refused", matched.status().message());
    matched->record.justification = justification;
    if (!AuditRequest(user->name, req, matched->record).ok()) {
      return Error(res, 503, "audit_unavailable", "the check could not be recorded: no hits shown");
    }
    json hits = json::array();
    for (const exchange::MatchHit& h : matched->hits) {
      hits.push_back({{"id", h.id}, {"caption", h.caption}, {"matched", h.matched}});
    }
    Reply(res, 200, json{{"from", matched->partner->name}, {"persons", matched->persons}, {"hits", hits}});
  });
}

void AddExchangePaths(nlohmann::json& paths, const nlohmann::json& bearer, const nlohmann::json& justification,
                      const nlohmann::json& error) {
  const json str = {{"type", "string"}};
  const json octets = {{"required", true}, {"content", {{"application/octet-stream", json::object()}}}};
  const json refused = {{"400", error}, {"401", error}, {"403", error}, {"404", error}, {"409", error}, {"413", error}};
  auto with = [](json responses, const char* status, const char* what) {
    responses[status] = {{"description", what}};
    return responses;
  };
  paths["/api/v1/exchange/export"] = {
      {"post",
       {{"summary", "A signed package of entities encrypted to a partner force (liaison officers; audited)"},
        {"security", bearer},
        {"parameters", json::array({justification})},
        {"requestBody",
         OpenApiJsonBody({{"to", str},
                          {"select", str},
                          {"ids", {{"type", "array"}, {"items", str}}},
                          {"handling", {{"type", "string"}, {"enum", {"H0", "H1", "H2", "H3"}}}},
                          {"purpose", str},
                          {"provenance", {{"type", "string"}, {"enum", {"none", "source", "full"}}}}},
                         json::array({"to", "handling", "purpose"}))},
        {"responses", with(refused, "200", "the package (application/octet-stream)")}}}};
  paths["/api/v1/exchange/import"] = {
      {"post",
       {{"summary", "Verify a partner's package and ingest its entities (liaison officers; audited)"},
        {"security", bearer},
        {"parameters",
         json::array({justification, {{"name", "case"}, {"in", "query"}, {"schema", str},
                                      {"description", "need-to-know case of the records (required for H3)"}}})},
        {"requestBody", octets},
        {"responses", with(refused, "200", "what was imported")}}}};
  paths["/api/v1/exchange/match"] = {
      {"post",
       {{"summary", "Run a partner's hit/no-hit filter against local persons; hits only (liaison officers; audited)"},
        {"security", bearer},
        {"parameters", json::array({justification})},
        {"requestBody", octets},
        {"responses", with(refused, "200", "the hits")}}}};
}

}  // namespace ura::http
