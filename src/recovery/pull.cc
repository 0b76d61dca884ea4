#include "recovery/pull.h"

#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
#include "journal/format.h"

namespace ura::recovery {

using nlohmann::json;

bool IsStoreFilePath(std::string_view path) {
  if (path == "store.json") return true;
  auto tail = [&](std::string_view dir) -> std::optional<std::string_view> {
    if (path.substr(0, dir.size()) != dir) return std::nullopt;
    return path.substr(dir.size());
  };
  if (auto name = tail("keys/")) {
    if (name->empty() || name->size() > 100 || (*name)[0] == '.') return false;
    if (name->size() >= 4 && name->substr(name->size() - 4) == ".tmp") return false;
    for (char c : *name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
    }
    return true;
  }
  if (auto name = tail("journal/")) {
    std::string n(*name);
    auto index = journal::ParseSegmentFileName(n);
    return index && journal::SegmentFileName(*index) == n;
  }
  return false;
}

// --- PullPrimary -----------------------------------------------------------------------------

Result<std::string> PullPrimary::SnapshotJson(SourceSnapshot* snapshot) {
  LocalStoreSource local(fs_, store_dir_);
  URA_ASSIGN_OR_RETURN(SourceSnapshot snap, local.Snapshot());
  json files = json::array();
  for (const SourceFile& f : snap.files) {
    files.push_back({{"path", f.path}, {"size", f.size}, {"segment", f.segment}, {"sealed", f.sealed}});
  }
  std::string text = json{{"format", "ura-backup-snapshot"},
                          {"version", 1},
                          {"head", json::parse(journal::HeadToJson(snap.head))},
                          {"files", files}}
                         .dump();
  if (snapshot != nullptr) *snapshot = std::move(snap);
  return text;
}

Result<Bytes> PullPrimary::Read(const std::string& path, uint64_t offset, uint64_t length) {
  if (!IsStoreFilePath(path)) {
    return InvalidArgument("'" + path + "' is not a file a backup keeps (store.json, keys/NAME, journal/seg-N.ura)");
  }
  if (length > kMaxPullRead) {
    return InvalidArgument("length " + std::to_string(length) + " is above the limit of " +
                           std::to_string(kMaxPullRead) + " bytes per request");
  }
  const std::string full = JoinPath(store_dir_, path);
  if (!fs_.Exists(full)) return NotFound("the store has no file " + path);
  URA_ASSIGN_OR_RETURN(auto file, fs_.OpenReadable(full));
  if (offset >= file->Size()) return Bytes{};
  Bytes out(static_cast<size_t>(std::min<uint64_t>(length, file->Size() - offset)));
  size_t done = 0;
  while (done < out.size()) {
    URA_ASSIGN_OR_RETURN(size_t got, file->ReadAt(offset + done, out.size() - done, out.data() + done));
    if (got == 0) break;
    done += got;
  }
  out.resize(done);
  return out;
}

Result<crypto::Signature> PullPrimary::CheckAndSign(ByteView message, Manifest* checked) {
  URA_ASSIGN_OR_RETURN(Manifest m, ParseManifestSigningMessage(message));
  journal::StorePaths paths(store_dir_);
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs_, paths));
  if (m.store_id != meta.store_id || m.public_key != meta.signing_public_key) {
    return FailedPrecondition("the manifest names another store or signing key than this one");
  }
  if (m.head.store_id != meta.store_id || m.head.public_key != meta.signing_public_key ||
      !journal::VerifyHeadSignature(m.head).ok()) {
    return InvalidArgument("the manifest's head is not one this store signed");
  }
  bool has_meta = false;
  for (const ManifestFile& f : m.files) {
    if (!IsStoreFilePath(f.path)) return InvalidArgument("the manifest names '" + f.path + "', not a store file");
    const std::string full = JoinPath(store_dir_, f.path);
    if (!fs_.Exists(full)) return FailedPrecondition("the manifest names " + f.path + ", which this store does not have");
    if (f.segment != (f.path.rfind("journal/", 0) == 0)) {
      return InvalidArgument("the manifest marks " + f.path + (f.segment ? " as" : " as not") + " a segment");
    }
    if (f.path == "store.json") has_meta = true;
    URA_ASSIGN_OR_RETURN(auto file, fs_.OpenReadable(full));
    if (f.segment) {
      if (f.size > file->Size() || (f.sealed && f.size != file->Size())) {
        return FailedPrecondition("the manifest gives " + f.path + " " + std::to_string(f.size) + " bytes; it has " +
                                  std::to_string(file->Size()));
      }
      continue;
    }
    // Small files (store.json, the wrapped keys): the primary knows their bytes.
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs_, full));
    if (data.size() != f.size || crypto::Sha256(data) != f.sha256) {
      return FailedPrecondition(f.path + " has changed since the snapshot (a key rotation?): run the backup again");
    }
  }
  if (!has_meta) return InvalidArgument("the manifest does not keep store.json");
  crypto::Signature signature = signer_.Sign(message);
  if (checked != nullptr) *checked = std::move(m);
  return signature;
}

// --- PullSource ------------------------------------------------------------------------------

namespace {

std::string FileTarget(const std::string& path, uint64_t offset, uint64_t length) {
  // IsStoreFilePath admits only characters that need no escaping in a query.
  return "/api/v1/backup/file?path=" + path + "&offset=" + std::to_string(offset) + "&length=" + std::to_string(length);
}

Status Damaged(std::string message) { return {StatusCode::kDataLoss, std::move(message)}; }

Status Unexpected(const PullTransport& t, const std::string& what) {
  return FailedPrecondition(t.Describe() + " answered with " + what + "; is it a Ura primary of this version?");
}

// One file of the primary, read through ranged requests.
class PulledFile final : public ReadableFile {
 public:
  PulledFile(PullTransport& transport, SourceFile file)
      : transport_(transport), file_(std::move(file)), name_(transport.Describe() + "/" + file_.path) {}

  Result<size_t> ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    size_t done = 0;
    while (done < n) {
      const uint64_t want = std::min<uint64_t>(n - done, kMaxPullRead);
      URA_ASSIGN_OR_RETURN(std::string body, transport_.Get(FileTarget(file_.path, offset + done, want)));
      if (body.size() > want) return Unexpected(transport_, "more bytes of " + file_.path + " than asked for");
      std::copy(body.begin(), body.end(), out + done);
      done += body.size();
      if (body.size() < want) break;  // the end of the file
    }
    return done;
  }
  uint64_t Size() const override { return file_.size; }
  const std::string& path() const override { return name_; }

 private:
  PullTransport& transport_;
  SourceFile file_;
  std::string name_;
};

}  // namespace

Result<SourceSnapshot> PullSource::Snapshot() {
  URA_ASSIGN_OR_RETURN(std::string text, transport_.Get("/api/v1/backup/snapshot"));
  SourceSnapshot snap;
  try {
    json j = json::parse(text);
    if (j.value("format", "") != "ura-backup-snapshot" || j.value("version", 0) != 1) {
      return Unexpected(transport_, "no snapshot");
    }
    auto head = journal::ParseHeadJson(j.at("head").dump());
    if (!head.ok()) return Unexpected(transport_, "a malformed head (" + head.status().message() + ")");
    snap.head = *head;
    for (const json& f : j.at("files")) {
      SourceFile sf{f.at("path").get<std::string>(), f.at("size").get<uint64_t>(), f.at("segment").get<bool>(),
                    f.at("sealed").get<bool>()};
      if (!IsStoreFilePath(sf.path)) return Unexpected(transport_, "a file that is not a store file ('" + sf.path + "')");
      snap.files.push_back(std::move(sf));
    }
  } catch (const json::exception& e) {
    return Unexpected(transport_, std::string("a malformed snapshot (") + e.what() + ")");
  }
  if (snap.files.empty() || snap.files.front().path != "store.json" || snap.files.front().size > (1u << 20)) {
    return Unexpected(transport_, "a snapshot without store.json first");
  }
  Bytes meta_bytes(snap.files.front().size);
  PulledFile meta_file(transport_, snap.files.front());
  URA_ASSIGN_OR_RETURN(size_t got, meta_file.ReadAt(0, meta_bytes.size(), meta_bytes.data()));
  if (got != meta_bytes.size()) return Unexpected(transport_, "a short store.json");
  URA_ASSIGN_OR_RETURN(snap.meta, journal::ParseStoreMeta(AsString(meta_bytes), meta_file.path()));
  if (snap.head.store_id != snap.meta.store_id || snap.head.public_key != snap.meta.signing_public_key ||
      !journal::VerifyHeadSignature(snap.head).ok()) {
    return Damaged(transport_.Describe() + " sent a head its store.json's key did not sign: refusing to back it up");
  }
  meta_ = snap.meta;
  return snap;
}

Result<std::unique_ptr<ReadableFile>> PullSource::Open(const SourceFile& file) {
  return std::unique_ptr<ReadableFile>(std::make_unique<PulledFile>(transport_, file));
}

// --- PrimaryManifestSigner -------------------------------------------------------------------

crypto::PublicKey PrimaryManifestSigner::public_key() const {
  return source_.meta() ? source_.meta()->signing_public_key : crypto::PublicKey{};
}

Result<crypto::Signature> PrimaryManifestSigner::Sign(ByteView message) const {
  if (!source_.meta()) return FailedPrecondition("no snapshot taken yet: nothing to sign");
  URA_ASSIGN_OR_RETURN(std::string text, transport_.Post("/api/v1/backup/manifest-signature",
                                                         std::string(AsString(message))));
  crypto::Signature signature{};
  try {
    auto raw = HexDecode(json::parse(text).at("signature").get<std::string>());
    if (!raw.ok() || raw->size() != signature.size()) return Unexpected(transport_, "a malformed signature");
    std::copy(raw->begin(), raw->end(), signature.begin());
  } catch (const json::exception& e) {
    return Unexpected(transport_, std::string("a malformed signature (") + e.what() + ")");
  }
  if (!crypto::VerifyEd25519(source_.meta()->signing_public_key, message, signature)) {
    return Damaged(transport_.Describe() + " returned a manifest signature that does not verify with its store key");
  }
  return signature;
}

}  // namespace ura::recovery
