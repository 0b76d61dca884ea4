// Analysts' review of entity resolution over the API (service/resolution.h): the pairs the
// model is unsure of, with the weight of each field, and same/different judgements -- what the
// web UI's review queue needs. Both need the role that resolves (analysts); a judgement and its
// audit record are one commit.
#include "http/api_server.h"
#include "http/replies.h"
#include "http/requests.h"
#include "service/resolution.h"

namespace ura::http {

using nlohmann::json;

void ApiServer::ResolveRoutes() {
  server_->Get("/api/v1/resolve/review", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kResolve, "resolve-review", &justification);
    if (!user) return;
    std::optional<uint64_t> limit = 20;
    if (req.has_param("limit")) limit = NumberParam(req, res, "limit", 1, 100);
    if (!limit) return;
    Result<service::ReviewAnswer> answer = Internal("not run");
    {
      IndexLease index(*this);
      answer = service::Review(*index, {user->name, &*user}, *limit, resolve::ResolveOptions{});
    }
    if (!answer.ok()) {
      if (answer.status().code() == StatusCode::kInvalidArgument) return Error(res, 409, "nothing_to_review", answer.status().message());
      return Error(res, 503, "unavailable", "resolution could not run now: " + answer.status().message());
    }
    answer->record.justification = justification;
    if (!AuditRequest(user->name, req, answer->record).ok()) {
      return Error(res, 503, "audit_unavailable", "the consultation could not be recorded, so nothing is shown");
    }
    Reply(res, 200, service::ReviewJson(*answer));
  });

  server_->Post("/api/v1/resolve/judgements", [this](const httplib::Request& req, httplib::Response& res) {
    std::string justification;
    std::optional<access::User> user = Permitted(req, res, access::Action::kResolve, "resolve-judge", &justification);
    if (!user) return;
    Decoded<JudgementRequest> decoded = DecodeJudgement(req.body);
    if (auto* bad = std::get_if<BadRequest>(&decoded)) return Error(res, 400, bad->code, bad->message);
    const JudgementRequest& j = std::get<JudgementRequest>(decoded);
    audit::Record record;
    Result<std::string> payload = Internal("not run");
    {
      IndexLease index(*this);
      payload = service::JudgementPayload(*index, {user->name, &*user}, j.a, j.b, j.decision,
                                          j.reason.empty() ? justification : j.reason, clock_.NowMicros(), record);
    }
    if (!payload.ok()) {
      const StatusCode code = payload.status().code();
      if (code == StatusCode::kNotFound) return Error(res, 404, "not_found", payload.status().message());
      if (code == StatusCode::kInvalidArgument) return Error(res, 400, "bad_value", payload.status().message());
      return Error(res, 503, "unavailable", payload.status().message());
    }
    // The judgement and the record of who made it, in one commit.
    record.time_us = clock_.NowMicros();
    record.user = user->name;
    record.client = req.remote_addr;
    record.justification = justification;
    const std::string audit_payload = audit::EncodeRecord(record);
    const journal::EntryInput entries[] = {{resolve::kEntryTypeJudgement, AsBytes(*payload)},
                                           {audit::kEntryTypeAudit, AsBytes(audit_payload)}};
    // Appended and applied to the main index together, so that matching at ingest sees it at once.
    std::lock_guard store_lock(store_mu_);
    auto appended = journal_.Append(entries);
    if (!appended.ok()) return Error(res, 503, "unavailable", "the judgement could not be stored");
    const Result<resolve::Judgement> judgement = resolve::DecodeJudgement(*payload);
    const uint64_t applied_size = appended->first_sequence + appended->count;
    const ByteView root = appended->head.tree_size == applied_size ? ByteView(appended->head.root) : ByteView();
    Status indexed = judgement.status();
    if (indexed.ok()) indexed = index_.Apply({}, {{appended->first_sequence, nullptr, nullptr, &*judgement}}, applied_size, root);
    if (!indexed.ok() && log_) {  // stored; the index catches up on the next start
      std::lock_guard log_lock(log_mu_);
      *log_ << json{{"event", "judgement_not_indexed"}, {"sequence", appended->first_sequence},
                    {"problem", indexed.message()}}.dump()
            << "\n";
    }
    Reply(res, 201, json{{"a", j.a}, {"b", j.b}, {"decision", resolve::DecisionName(j.decision)},
                         {"sequence", appended->first_sequence}});
  });
}

void AddResolvePaths(json& paths, const json& bearer, const json& justification, const json& error) {
  paths["/api/v1/resolve/review"] = {
      {"get",
       {{"summary", "Pairs of Person records entity resolution is unsure of, with each field's weight (analysts; audited)"},
        {"security", bearer},
        {"parameters", json::array({justification, {{"name", "limit"}, {"in", "query"},
                                                     {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}})},
        {"responses", {{"200", {{"description", "uncertain pairs"}}}, {"401", error}, {"403", error}, {"409", error}}}}}};
  const json str = {{"type", "string"}};
  paths["/api/v1/resolve/judgements"] = {
      {"post",
       {{"summary", "An analyst's same/different/withdrawn decision on two Person records (audited)"},
        {"security", bearer},
        {"parameters", json::array({justification})},
        {"requestBody", OpenApiJsonBody({{"a", str}, {"b", str},
                                         {"decision", {{"type", "string"}, {"enum", {"same", "different", "withdrawn"}}}},
                                         {"reason", str}},
                                        json::array({"a", "b", "decision"}))},
        {"responses", {{"201", {{"description", "stored"}}}, {"400", error}, {"401", error}, {"403", error},
                       {"404", error}}}}}};
}

}  // namespace ura::http
