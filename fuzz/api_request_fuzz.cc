// libFuzzer target for the JSON bodies of API requests (src/http/requests.h): the first byte
// picks the decoder (0-4 and the rest modulo 5: log-on, new user, role, cases, password; 5: an
// exchange export), the rest is the body.
//
// Properties: decoding never crashes or throws; what decodes is valid -- a new user's name
// passes CheckUserName, a person has a password and a service account none, cases are
// normalised, every string is valid UTF-8, an export selects by a query or by ids (not both).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "http/requests.h"

namespace {

void Require(bool ok) {
  if (!ok) std::abort();
}

template <typename T>
const T* Value(const ura::http::Decoded<T>& d) {
  if (const auto* bad = std::get_if<ura::http::BadRequest>(&d)) {
    Require(!bad->code.empty() && !bad->message.empty());
    return nullptr;
  }
  return &std::get<T>(d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura;
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 5) {
    const auto request = http::DecodeExportRequest(body);
    if (const auto* r = Value(request)) {
      Require(r->select.empty() != r->ids.empty());
      Require(IsValidUtf8(r->to) && IsValidUtf8(r->select) && IsValidUtf8(r->purpose) && IsValidUtf8(r->provenance));
      for (const std::string& id : r->ids) Require(IsValidUtf8(id));
    }
    return 0;
  }
  switch (data[0] % 5) {
    case 0: {
      const auto login = http::DecodeLogin(body);
      if (const auto* r = Value(login)) {
        Require(IsValidUtf8(r->user) && IsValidUtf8(r->password) && IsValidUtf8(r->totp));
      }
      break;
    }
    case 1: {
      const auto user = http::DecodeNewUser(body);
      if (const auto* r = Value(user)) {
        Require(access::CheckUserName(r->name).ok());
        Require(access::IsMachineAccount(r->role) == r->password.empty());
      }
      break;
    }
    case 2:
      Value(http::DecodeRole(body));
      break;
    case 3: {
      const auto cases = http::DecodeCases(body);
      if (const auto* r = Value(cases)) {
        auto again = model::NormaliseCases(r->cases);
        Require(again.ok() && *again == r->cases);
      }
      break;
    }
    case 4: {
      const auto password = http::DecodePassword(body);
      if (const auto* r = Value(password)) Require(IsValidUtf8(r->password));
      break;
    }
  }
  return 0;
}
