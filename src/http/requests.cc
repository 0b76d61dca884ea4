#include "http/requests.h"

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>

#include "base/bytes.h"

namespace ura::http {
namespace {

using nlohmann::json;

constexpr size_t kMaxStringBytes = 4096;

enum class Type { kString, kStringArray };
struct Field {
  const char* name;
  Type type;
  bool required;
};

// The body as an object holding only `fields`, each of its type; strings are valid UTF-8 of
// at most kMaxStringBytes.
std::variant<json, BadRequest> Object(std::string_view body, std::initializer_list<Field> fields) {
  if (!IsValidUtf8(body)) return BadRequest{"bad_json", "the body is not valid UTF-8"};
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return BadRequest{"bad_json", "the body is not a JSON object"};
  std::string names;
  for (const Field& f : fields) names += std::string(names.empty() ? "" : ", ") + f.name;
  for (const auto& [key, value] : j.items()) {
    const Field* field = nullptr;
    for (const Field& f : fields) {
      if (key == f.name) field = &f;
    }
    if (field == nullptr) {
      return BadRequest{"unknown_field", "unknown field '" + key.substr(0, 40) + "' (expected: " + names + ")"};
    }
    auto too_long = [](const json& v) { return v.get_ref<const std::string&>().size() > kMaxStringBytes; };
    if (field->type == Type::kString) {
      if (!value.is_string()) return BadRequest{"wrong_type", "'" + key + "' must be a string"};
      if (too_long(value)) return BadRequest{"bad_value", "'" + key + "' is longer than 4096 bytes"};
    } else {
      if (!value.is_array()) return BadRequest{"wrong_type", "'" + key + "' must be an array of strings"};
      if (value.size() > 1000) return BadRequest{"bad_value", "'" + key + "' holds more than 1000 values"};
      for (const json& v : value) {
        if (!v.is_string()) return BadRequest{"wrong_type", "'" + key + "' must be an array of strings"};
        if (too_long(v)) return BadRequest{"bad_value", "a value of '" + key + "' is longer than 4096 bytes"};
      }
    }
  }
  for (const Field& f : fields) {
    if (f.required && !j.contains(f.name)) return BadRequest{"missing_field", std::string("give '") + f.name + "'"};
  }
  return j;
}

std::string Text(const json& j, const char* key) { return j.contains(key) ? j[key].get<std::string>() : std::string(); }

template <typename T>
std::optional<BadRequest> RoleAndClearance(const json& j, T& out) {
  auto role = access::ParseRole(Text(j, "role"));
  if (!role.ok()) return BadRequest{"bad_value", role.status().message()};
  out.role = *role;
  if (j.contains("clearance")) {
    auto clearance = model::ParseClassification(Text(j, "clearance"));
    if (!clearance.ok()) return BadRequest{"bad_value", clearance.status().message()};
    out.clearance = *clearance;
  }
  return std::nullopt;
}

}  // namespace

Decoded<LoginRequest> DecodeLogin(std::string_view body) {
  auto j = Object(body, {{"user", Type::kString, true}, {"password", Type::kString, true}, {"totp", Type::kString, false}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  const json& o = std::get<json>(j);
  return LoginRequest{Text(o, "user"), Text(o, "password"), Text(o, "totp")};
}

Decoded<NewUserRequest> DecodeNewUser(std::string_view body) {
  auto j = Object(body, {{"name", Type::kString, true},
                         {"role", Type::kString, true},
                         {"clearance", Type::kString, false},
                         {"password", Type::kString, false}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  const json& o = std::get<json>(j);
  NewUserRequest r;
  r.name = Text(o, "name");
  if (Status s = access::CheckUserName(r.name); !s.ok()) return BadRequest{"bad_value", s.message()};
  if (auto bad = RoleAndClearance(o, r)) return *bad;
  r.password = Text(o, "password");
  if (access::IsMachineAccount(r.role) != r.password.empty()) {
    return BadRequest{"bad_value", access::IsMachineAccount(r.role)
                                       ? "a service account has no password (it gets an API token)"
                                       : "give the user's first password"};
  }
  return r;
}

Decoded<RoleRequest> DecodeRole(std::string_view body) {
  auto j = Object(body, {{"role", Type::kString, true}, {"clearance", Type::kString, true}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  RoleRequest r;
  if (auto bad = RoleAndClearance(std::get<json>(j), r)) return *bad;
  return r;
}

Decoded<CasesRequest> DecodeCases(std::string_view body) {
  auto j = Object(body, {{"cases", Type::kStringArray, true}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  auto cases = model::NormaliseCases(std::get<json>(j)["cases"].get<std::vector<std::string>>());
  if (!cases.ok()) return BadRequest{"bad_value", cases.status().message()};
  return CasesRequest{std::move(cases).value()};
}

Decoded<PasswordRequest> DecodePassword(std::string_view body) {
  auto j = Object(body, {{"password", Type::kString, true}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  return PasswordRequest{Text(std::get<json>(j), "password")};
}

Decoded<JudgementRequest> DecodeJudgement(std::string_view body) {
  auto j = Object(body, {{"a", Type::kString, true},
                         {"b", Type::kString, true},
                         {"decision", Type::kString, true},
                         {"reason", Type::kString, false}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  const json& o = std::get<json>(j);
  auto decision = resolve::ParseDecision(Text(o, "decision"));
  if (!decision.ok()) return BadRequest{"bad_value", decision.status().message()};
  JudgementRequest r{Text(o, "a"), Text(o, "b"), *decision, Text(o, "reason")};
  if (r.a.empty() || r.b.empty() || r.a.size() > 200 || r.b.size() > 200) {
    return BadRequest{"bad_value", "a and b are record ids (1-200 characters)"};
  }
  if (r.reason.size() > 500) return BadRequest{"bad_value", "reason: at most 500 characters"};
  return r;
}

Decoded<ExportRequestBody> DecodeExportRequest(std::string_view body) {
  auto j = Object(body, {{"to", Type::kString, true},
                         {"select", Type::kString, false},
                         {"ids", Type::kStringArray, false},
                         {"handling", Type::kString, true},
                         {"purpose", Type::kString, true},
                         {"provenance", Type::kString, false}});
  if (auto* bad = std::get_if<BadRequest>(&j)) return *bad;
  const json& o = std::get<json>(j);
  ExportRequestBody r;
  r.to = Text(o, "to");
  r.select = Text(o, "select");
  if (o.contains("ids")) r.ids = o["ids"].get<std::vector<std::string>>();
  if (r.select.empty() == r.ids.empty()) return BadRequest{"bad_value", "give either 'select' (a query) or 'ids'"};
  auto handling = model::ParseHandlingCode(Text(o, "handling"));
  if (!handling.ok()) return BadRequest{"bad_value", handling.status().message()};
  r.handling = *handling;
  r.purpose = Text(o, "purpose");
  if (o.contains("provenance")) r.provenance = Text(o, "provenance");
  return r;
}

}  // namespace ura::http
