// Decoding the JSON bodies of API requests, strictly: a body must be a JSON object of valid
// UTF-8 with only the named fields, each of the right type; values are checked (role names,
// clearances, case numbers, lengths). Anything else is a BadRequest with a stable code for
// the client and a message saying what to send -- never an exception, never a 500.
// Fuzzed by fuzz/api_request_fuzz.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "access/users.h"
#include "model/entity.h"
#include "resolve/decisions.h"

namespace ura::http {

struct BadRequest {
  std::string code;     // bad_json, unknown_field, wrong_type, missing_field, bad_value
  std::string message;  // what is wrong and what to send instead
};

template <typename T>
using Decoded = std::variant<T, BadRequest>;

struct LoginRequest {
  std::string user, password, totp;
};
struct NewUserRequest {
  std::string name;
  access::Role role = access::Role::kInvestigator;
  model::Classification clearance = model::Classification::kRestricted;
  std::string password;  // empty for a service account
};
struct RoleRequest {
  access::Role role = access::Role::kInvestigator;
  model::Classification clearance = model::Classification::kRestricted;
};
struct CasesRequest {
  std::vector<std::string> cases;  // normalised (model::NormaliseCases)
};
struct PasswordRequest {
  std::string password;
};

struct ExportRequestBody {
  std::string to;
  std::string select;            // a search query, or
  std::vector<std::string> ids;  // ids (exactly one of the two)
  model::HandlingCode handling = model::HandlingCode::kH2;
  std::string purpose;
  std::string provenance = "none";  // checked by the route (exchange::ParseProvenanceLevel)
};

struct JudgementRequest {
  std::string a, b;
  resolve::Decision decision = resolve::Decision::kSame;
  std::string reason;
};

Decoded<LoginRequest> DecodeLogin(std::string_view body);          // {user, password, totp?}
Decoded<NewUserRequest> DecodeNewUser(std::string_view body);      // {name, role, clearance?, password?}
Decoded<RoleRequest> DecodeRole(std::string_view body);            // {role, clearance}
Decoded<CasesRequest> DecodeCases(std::string_view body);          // {cases: [..]}
Decoded<PasswordRequest> DecodePassword(std::string_view body);
Decoded<JudgementRequest> DecodeJudgement(std::string_view body);  // {a, b, decision, reason?}    // {password}
// {to, select? | ids?, handling, purpose, provenance?}
Decoded<ExportRequestBody> DecodeExportRequest(std::string_view body);

}  // namespace ura::http
