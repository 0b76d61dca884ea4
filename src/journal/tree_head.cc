#include "journal/tree_head.h"

#include <nlohmann/json.hpp>

#include "base/clock.h"

namespace ura::journal {

using nlohmann::json;

std::string HeadToJson(const SignedHead& h) {
  json j = {{"store_id", HexEncode(h.store_id)},
            {"tree_size", h.tree_size},
            {"root_hash", HexEncode(h.root)},
            {"timestamp", FormatRfc3339(h.timestamp_us)},
            {"timestamp_us", h.timestamp_us},
            {"key_id", h.key_id},
            {"signature", HexEncode(h.signature)},
            {"public_key", HexEncode(h.public_key)}};
  return j.dump(2);
}

namespace {
template <size_t N>
Status HexArray(const json& j, const char* field, std::array<uint8_t, N>& out) {
  if (!j.contains(field) || !j[field].is_string()) {
    return InvalidArgument(std::string("head: field '") + field + "' missing or not a string");
  }
  auto b = HexDecode(j[field].get<std::string>());
  if (!b.ok() || b->size() != N) {
    return InvalidArgument(std::string("head: field '") + field + "' must be " +
                           std::to_string(N) + " bytes of hex");
  }
  std::copy(b->begin(), b->end(), out.begin());
  return Status::Ok();
}
}  // namespace

Result<SignedHead> ParseHeadJson(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("head: not valid JSON: ") + e.what());
  }
  if (!j.is_object()) return InvalidArgument("head: not a JSON object");
  SignedHead h;
  std::array<uint8_t, kStoreIdSize> store_id{};
  URA_RETURN_IF_ERROR(HexArray(j, "store_id", store_id));
  h.store_id.assign(store_id.begin(), store_id.end());
  URA_RETURN_IF_ERROR(HexArray(j, "root_hash", h.root));
  URA_RETURN_IF_ERROR(HexArray(j, "signature", h.signature));
  URA_RETURN_IF_ERROR(HexArray(j, "public_key", h.public_key));
  auto uint_field = [&](const char* name, uint64_t max, uint64_t& out) -> Status {
    if (!j.contains(name) || !j[name].is_number_unsigned() || j[name].get<uint64_t>() > max) {
      return InvalidArgument(std::string("head: field '") + name + "' missing or not a valid number");
    }
    out = j[name].get<uint64_t>();
    return Status::Ok();
  };
  uint64_t ts = 0, key_id = 0;
  URA_RETURN_IF_ERROR(uint_field("tree_size", UINT64_MAX, h.tree_size));
  URA_RETURN_IF_ERROR(uint_field("timestamp_us", INT64_MAX, ts));
  URA_RETURN_IF_ERROR(uint_field("key_id", UINT32_MAX, key_id));
  h.timestamp_us = static_cast<int64_t>(ts);
  h.key_id = static_cast<uint32_t>(key_id);
  return h;
}

Status VerifyHeadSignature(const SignedHead& h) {
  if (!crypto::VerifyEd25519(h.public_key, h.Message(), h.signature)) {
    return Status(StatusCode::kDataLoss, "the head's signature does not verify");
  }
  return Status::Ok();
}

}  // namespace ura::journal
