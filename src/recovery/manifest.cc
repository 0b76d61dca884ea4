#include "recovery/manifest.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ura::recovery {

using nlohmann::json;

namespace {

json Unsigned(const Manifest& m) {
  json files = json::array();
  for (const ManifestFile& f : m.files) {
    json chunks = json::array();
    for (const ManifestChunk& c : f.chunks) chunks.push_back(json::array({HexEncode(c.sha256), c.size}));
    files.push_back({{"path", f.path}, {"size", f.size}, {"sha256", HexEncode(f.sha256)},
                     {"segment", f.segment}, {"sealed", f.sealed}, {"chunks", chunks}});
  }
  return json{{"format", "ura-backup-manifest"},
              {"version", 1},
              {"run", m.run},
              {"created_us", m.created_us},
              {"source", m.source},
              {"store_id", HexEncode(m.store_id)},
              {"head", json::parse(journal::HeadToJson(m.head))},
              {"previous", m.previous},
              {"files", files},
              {"public_key", HexEncode(m.public_key)}};
}

Status Bad(const std::string& file, const std::string& what) {
  return Corruption(file + ": " + what + " (the manifest is damaged or was altered)",
                    {file, std::nullopt, std::nullopt, "manifest"});
}

template <size_t N>
Status HexTo(const json& j, const char* field, std::array<uint8_t, N>& out, const std::string& file) {
  if (!j.contains(field) || !j[field].is_string()) return Bad(file, std::string("field '") + field + "' missing");
  auto b = HexDecode(j[field].get<std::string>());
  if (!b.ok() || b->size() != N) return Bad(file, std::string("field '") + field + "' is not " + std::to_string(N) + " hex bytes");
  std::copy(b->begin(), b->end(), out.begin());
  return Status::Ok();
}

}  // namespace

Bytes ManifestSigningMessage(const Manifest& m) {
  std::string text = "URA-BACKUP-MANIFEST-V1\n" + Unsigned(m).dump();
  return Bytes(text.begin(), text.end());
}

Result<std::string> SignManifest(Manifest& m, const ManifestSigner& signer) {
  m.public_key = signer.public_key();
  URA_ASSIGN_OR_RETURN(m.signature, signer.Sign(ManifestSigningMessage(m)));
  return ManifestFileText(m);
}

std::string ManifestFileText(const Manifest& m) {
  json j = Unsigned(m);
  j["signature"] = HexEncode(m.signature);
  return j.dump() + "\n";
}

namespace {

// A manifest document; with `signed_file`, its "signature" too (a signing message has none).
Result<Manifest> ParseManifestText(std::string_view text, const std::string& file, bool signed_file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return Bad(file, std::string("not valid JSON (") + e.what() + ")");
  }
  try {
    if (!j.is_object() || j.value("format", "") != "ura-backup-manifest") return Bad(file, "not a Ura backup manifest");
    if (j.value("version", 0) != 1) return Bad(file, "unsupported manifest version");
    Manifest m;
    m.run = j.at("run").get<uint64_t>();
    m.created_us = j.at("created_us").get<int64_t>();
    m.source = j.at("source").get<std::string>();
    m.previous = j.at("previous").get<std::string>();
    auto store_id = HexDecode(j.at("store_id").get<std::string>());
    if (!store_id.ok()) return Bad(file, "field 'store_id' is not hex");
    m.store_id = *store_id;
    auto head = journal::ParseHeadJson(j.at("head").dump());
    if (!head.ok()) return Bad(file, head.status().message());
    m.head = *head;
    for (const json& f : j.at("files")) {
      ManifestFile mf;
      mf.path = f.at("path").get<std::string>();
      mf.size = f.at("size").get<uint64_t>();
      URA_RETURN_IF_ERROR(HexTo(f, "sha256", mf.sha256, file));
      mf.segment = f.at("segment").get<bool>();
      mf.sealed = f.at("sealed").get<bool>();
      uint64_t total = 0;
      for (const json& c : f.at("chunks")) {
        ManifestChunk chunk;
        auto sha = HexDecode(c.at(0).get<std::string>());
        if (!sha.ok() || sha->size() != 32) return Bad(file, "a chunk hash of " + mf.path + " is not 32 hex bytes");
        std::copy(sha->begin(), sha->end(), chunk.sha256.begin());
        chunk.size = c.at(1).get<uint64_t>();
        total += chunk.size;
        mf.chunks.push_back(chunk);
      }
      if (total != mf.size) return Bad(file, "the chunks of " + mf.path + " do not add up to its size");
      // Paths come back into a restore directory: never absolute, never "..".
      if (mf.path.empty() || mf.path[0] == '/' || mf.path.find("..") != std::string::npos) {
        return Bad(file, "file path '" + mf.path + "' is not a path inside a store");
      }
      m.files.push_back(std::move(mf));
    }
    URA_RETURN_IF_ERROR(HexTo(j, "public_key", m.public_key, file));
    if (signed_file) URA_RETURN_IF_ERROR(HexTo(j, "signature", m.signature, file));
    return m;
  } catch (const json::exception& e) {
    return Bad(file, e.what());
  }
}

}  // namespace

Result<Manifest> ParseManifest(std::string_view text, const std::string& file) {
  return ParseManifestText(text, file, true);
}

Result<Manifest> ParseManifestSigningMessage(ByteView message) {
  const std::string_view text = AsString(message);
  constexpr std::string_view kPrefix = "URA-BACKUP-MANIFEST-V1\n";
  const std::string what = "the manifest to sign";
  if (text.substr(0, kPrefix.size()) != kPrefix) return InvalidArgument(what + " does not start with the manifest prefix");
  auto m = ParseManifestText(text.substr(kPrefix.size()), what, false);
  if (!m.ok()) return InvalidArgument(m.status().message());
  // Only the canonical bytes: what is signed is exactly what was checked.
  if (ManifestSigningMessage(*m) != Bytes(message.begin(), message.end())) {
    return InvalidArgument(what + " is not in canonical form (compact JSON, keys sorted, as Ura writes it)");
  }
  return m;
}

Status VerifyManifestSignature(const Manifest& m, const std::string& file) {
  if (!crypto::VerifyEd25519(m.public_key, ManifestSigningMessage(m), m.signature)) {
    return Corruption(file + ": the manifest's signature does not verify (it was altered or forged)",
                      {file, std::nullopt, std::nullopt, "manifest-signature"});
  }
  return Status::Ok();
}

std::string ManifestFileName(uint64_t run) {
  char name[32];
  std::snprintf(name, sizeof(name), "%010llu.json", static_cast<unsigned long long>(run));
  return name;
}

std::optional<uint64_t> ParseManifestFileName(const std::string& name) {
  if (name.size() != 15 || name.compare(10, 5, ".json") != 0) return std::nullopt;
  uint64_t v = 0;
  for (int i = 0; i < 10; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return v;
}

}  // namespace ura::recovery
