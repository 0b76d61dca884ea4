// nlohmann/json does the JSON; this file does the schema. nlohmann throws on malformed
// input, so every call that can throw is inside ParseObject's try block or cannot throw by
// construction (typed accessors are only used after the type is checked; dump() uses the
// replacing UTF-8 error handler).
#include "journal/proof_codec.h"

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/bytes.h"

namespace ura::journal {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::string_view kInclusion = "inclusion";
constexpr std::string_view kConsistency = "consistency";

// Text of untrusted input, safe to put in an error message: at most 64 bytes, escaped to
// ASCII, and valid even where the cut falls inside a UTF-8 sequence.
std::string Quoted(std::string_view text) {
  return Json(std::string(text.substr(0, 64)))
      .dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
}

// A library message that may quote raw input bytes, made safe to show and to embed.
std::string Printable(std::string_view text) {
  std::string out(text.substr(0, 240));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

std::string DescribeType(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::number_integer:
      return value.get<int64_t>() < 0 ? "a negative number" : "a signed zero";
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a fraction, an exponent or a number above 2^64-1";
    case Json::value_t::binary:
      return "binary data";
    case Json::value_t::discarded:
      return "nothing";
  }
  return "an unknown value";
}

std::string HashToHex(const Hash256& hash) { return HexEncode(hash); }

OrderedJson HashArray(const std::vector<Hash256>& hashes) {
  OrderedJson array = OrderedJson::array();
  for (const Hash256& hash : hashes) array.push_back(HashToHex(hash));
  return array;
}

std::string Dump(const OrderedJson& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/false, OrderedJson::error_handler_t::replace);
}

// Parses `json` into an object, refusing oversized input, malformed JSON and duplicated keys
// (two parsers could otherwise read two different proofs out of one document).
Result<Json> ParseObject(std::string_view json, std::string_view kind) {
  const std::string prefix = std::string(kind) + " proof: ";
  if (json.size() > kMaxProofJsonBytes) {
    return InvalidArgument(prefix + "document is " + std::to_string(json.size()) +
                           " bytes, more than the limit of " + std::to_string(kMaxProofJsonBytes));
  }
  std::vector<std::set<std::string>> keys_by_object;
  std::string duplicate_key;
  Json::parser_callback_t track_keys = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        keys_by_object.emplace_back();
        break;
      case Json::parse_event_t::key:
        if (!keys_by_object.empty() && parsed.is_string() &&
            !keys_by_object.back().insert(parsed.get<std::string>()).second &&
            duplicate_key.empty()) {
          duplicate_key = parsed.get<std::string>();
        }
        break;
      case Json::parse_event_t::object_end:
        if (!keys_by_object.empty()) keys_by_object.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), track_keys);
  } catch (const Json::exception& e) {
    return InvalidArgument(prefix + "not valid JSON: " + Printable(e.what()));
  }
  if (!duplicate_key.empty()) {
    return InvalidArgument(prefix + "field " + Quoted(duplicate_key) + " appears more than once");
  }
  if (!doc.is_object()) {
    return InvalidArgument(prefix + "must be a JSON object, got " + DescribeType(doc));
  }
  return doc;
}

// Reads the typed fields of one proof object; every error names the field.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string_view kind) : object_(object), kind_(kind) {}

  // Checks "type" and that no field outside `allowed` is present.
  Status CheckTypeAndFields(std::initializer_list<std::string_view> allowed) const {
    auto type = Find("type");
    if (!type.ok()) return type.status();
    if (!(*type)->is_string())
      return Error("type", "must be a string, got " + DescribeType(**type));
    const std::string& name = (*type)->get_ref<const std::string&>();
    if (name != kind_) {
      return Error("type", "must be \"" + std::string(kind_) + "\", got " + Quoted(name));
    }
    for (const auto& item : object_.items()) {
      if (item.key() == "type") continue;
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        return InvalidArgument(std::string(kind_) + " proof: unexpected field " +
                               Quoted(item.key()));
      }
    }
    return Status::Ok();
  }

  Result<std::string> Text(std::string_view field) const {
    URA_ASSIGN_OR_RETURN(const Json* value, Find(field));
    if (!value->is_string()) return Error(field, "must be a string, got " + DescribeType(*value));
    return value->get<std::string>();
  }

  Result<uint64_t> Count(std::string_view field) const {
    URA_ASSIGN_OR_RETURN(const Json* value, Find(field));
    if (!value->is_number_unsigned()) {
      return Error(
          field, "must be an integer from 0 to 18446744073709551615, got " + DescribeType(*value));
    }
    return value->get<uint64_t>();
  }

  Result<Hash256> Hash(std::string_view field) const {
    URA_ASSIGN_OR_RETURN(const Json* value, Find(field));
    return HashValue(*value, std::string(field));
  }

  Result<std::vector<Hash256>> HashList(std::string_view field) const {
    URA_ASSIGN_OR_RETURN(const Json* value, Find(field));
    if (!value->is_array()) {
      return Error(field, "must be an array of hashes, got " + DescribeType(*value));
    }
    if (value->size() > kMaxProofNodes) {
      return Error(field, "has " + std::to_string(value->size()) + " nodes, more than " +
                              std::to_string(kMaxProofNodes));
    }
    std::vector<Hash256> hashes;
    hashes.reserve(value->size());
    for (size_t i = 0; i < value->size(); ++i) {
      URA_ASSIGN_OR_RETURN(
          Hash256 hash, HashValue((*value)[i], std::string(field) + "[" + std::to_string(i) + "]"));
      hashes.push_back(hash);
    }
    return hashes;
  }

 private:
  Result<const Json*> Find(std::string_view field) const {
    auto it = object_.find(std::string(field));
    if (it == object_.end()) {
      return InvalidArgument(std::string(kind_) + " proof: field \"" + std::string(field) +
                             "\" is missing");
    }
    return &*it;
  }

  Result<Hash256> HashValue(const Json& value, const std::string& field) const {
    if (!value.is_string()) {
      return Error(field, "must be a string of 64 hex digits, got " + DescribeType(value));
    }
    const std::string& text = value.get_ref<const std::string&>();
    Hash256 hash{};
    if (text.size() != 2 * hash.size()) {
      return Error(field,
                   "must be 64 hex digits, got " + std::to_string(text.size()) + " characters");
    }
    Result<Bytes> bytes = HexDecode(text);
    if (!bytes.ok()) return Error(field, "is not hex: " + bytes.status().message());
    std::copy(bytes->begin(), bytes->end(), hash.begin());
    return hash;
  }

  Status Error(std::string_view field, const std::string& problem) const {
    return InvalidArgument(std::string(kind_) + " proof: field \"" + std::string(field) + "\" " +
                           problem);
  }

  const Json& object_;
  std::string_view kind_;
};

}  // namespace

std::string ToJson(const InclusionProofDoc& doc) {
  OrderedJson out;
  out["type"] = kInclusion;
  out["store_id"] = doc.store_id;
  out["leaf_index"] = doc.leaf_index;
  out["tree_size"] = doc.tree_size;
  out["leaf_hash"] = HashToHex(doc.leaf_hash);
  out["root_hash"] = HashToHex(doc.root_hash);
  out["audit_path"] = HashArray(doc.audit_path);
  return Dump(out);
}

std::string ToJson(const ConsistencyProofDoc& doc) {
  OrderedJson out;
  out["type"] = kConsistency;
  out["store_id"] = doc.store_id;
  out["old_size"] = doc.old_size;
  out["new_size"] = doc.new_size;
  out["old_root"] = HashToHex(doc.old_root);
  out["new_root"] = HashToHex(doc.new_root);
  out["proof"] = HashArray(doc.proof);
  return Dump(out);
}

Result<InclusionProofDoc> ParseInclusionProof(std::string_view json) {
  URA_ASSIGN_OR_RETURN(const Json object, ParseObject(json, kInclusion));
  FieldReader reader(object, kInclusion);
  URA_RETURN_IF_ERROR(reader.CheckTypeAndFields(
      {"store_id", "leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path"}));
  InclusionProofDoc doc;
  URA_ASSIGN_OR_RETURN(doc.store_id, reader.Text("store_id"));
  URA_ASSIGN_OR_RETURN(doc.leaf_index, reader.Count("leaf_index"));
  URA_ASSIGN_OR_RETURN(doc.tree_size, reader.Count("tree_size"));
  URA_ASSIGN_OR_RETURN(doc.leaf_hash, reader.Hash("leaf_hash"));
  URA_ASSIGN_OR_RETURN(doc.root_hash, reader.Hash("root_hash"));
  URA_ASSIGN_OR_RETURN(doc.audit_path, reader.HashList("audit_path"));
  return doc;
}

Result<ConsistencyProofDoc> ParseConsistencyProof(std::string_view json) {
  URA_ASSIGN_OR_RETURN(const Json object, ParseObject(json, kConsistency));
  FieldReader reader(object, kConsistency);
  URA_RETURN_IF_ERROR(reader.CheckTypeAndFields(
      {"store_id", "old_size", "new_size", "old_root", "new_root", "proof"}));
  ConsistencyProofDoc doc;
  URA_ASSIGN_OR_RETURN(doc.store_id, reader.Text("store_id"));
  URA_ASSIGN_OR_RETURN(doc.old_size, reader.Count("old_size"));
  URA_ASSIGN_OR_RETURN(doc.new_size, reader.Count("new_size"));
  URA_ASSIGN_OR_RETURN(doc.old_root, reader.Hash("old_root"));
  URA_ASSIGN_OR_RETURN(doc.new_root, reader.Hash("new_root"));
  URA_ASSIGN_OR_RETURN(doc.proof, reader.HashList("proof"));
  return doc;
}

}  // namespace ura::journal
