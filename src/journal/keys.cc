#include "journal/keys.h"

#include <nlohmann/json.hpp>

#include "journal/format.h"

namespace ura::journal {

using nlohmann::json;

StorePaths::StorePaths(std::string d)
    : dir(std::move(d)),
      meta(JoinPath(dir, "store.json")),
      keys_dir(JoinPath(dir, "keys")),
      keyring(JoinPath(JoinPath(dir, "keys"), "keyring.json")),
      journal_dir(JoinPath(dir, "journal")),
      lock(JoinPath(dir, "LOCK")) {}

namespace {

Result<crypto::SecretBytes> DeriveKek(const StoreMeta& meta, const KeySecret& secret) {
  if (secret.kind != meta.kek_kind) {
    return FailedPrecondition(meta.kek_kind == KekKind::kPassphrase
                                  ? "this store is locked with a passphrase: set URA_PASSPHRASE "
                                    "or use --passphrase-file"
                                  : "this store is locked with a key file: use --key-file");
  }
  if (secret.kind == KekKind::kKeyFile) return crypto::SecretBytes(secret.material.view());
  if (secret.material.empty()) return FailedPrecondition("the passphrase is empty");
  return crypto::DeriveKeyArgon2id(AsString(secret.material.view()), meta.kdf_salt,
                                   meta.kdf_params);
}

Result<Bytes> HexField(const json& j, const char* name, size_t size, const std::string& file) {
  if (!j.contains(name) || !j[name].is_string()) {
    return Corruption(file + ": field '" + name + "' missing or not a string",
                      {file, std::nullopt, std::nullopt, "metadata"});
  }
  auto bytes = HexDecode(j[name].get<std::string>());
  if (!bytes.ok() || (size != 0 && bytes->size() != size)) {
    return Corruption(file + ": field '" + name + "' is not " + std::to_string(size) + " hex bytes",
                      {file, std::nullopt, std::nullopt, "metadata"});
  }
  return bytes;
}

Result<json> ReadJsonFile(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return data.status();
  try {
    return json::parse(AsString(*data));
  } catch (const json::exception& e) {
    return Corruption(path + ": not valid JSON (" + e.what() + ")",
                      {path, std::nullopt, std::nullopt, "metadata"});
  }
}

}  // namespace

Result<StoreMeta> LoadStoreMeta(FileSystem& fs, const StorePaths& paths) {
  if (!fs.Exists(paths.meta)) {
    return NotFound("no Ura store at " + paths.dir +
                    " (create one with `ura init`, or point --data / URA_DATA at an existing store)");
  }
  URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, paths.meta));
  return ParseStoreMeta(AsString(data), paths.meta);
}

Result<StoreMeta> ParseStoreMeta(std::string_view text, const std::string& file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return Corruption(file + ": not valid JSON (" + e.what() + ")", {file, std::nullopt, std::nullopt, "metadata"});
  }
  try {
    if (j.value("format", "") != "ura-store" || j.value("version", 0) != 1) {
      return FailedPrecondition(file + ": not a version-1 Ura store");
    }
    StoreMeta m;
    URA_ASSIGN_OR_RETURN(m.store_id, HexField(j, "store_id", kStoreIdSize, file));
    URA_ASSIGN_OR_RETURN(Bytes pub, HexField(j, "signing_public_key", 32, file));
    std::copy(pub.begin(), pub.end(), m.signing_public_key.begin());
    m.signing_key_id = j.at("signing_key_id").get<uint32_t>();
    m.created_us = j.at("created_us").get<int64_t>();
    const json& kek = j.at("kek");
    std::string kind = kek.at("kind").get<std::string>();
    if (kind == "passphrase") {
      m.kek_kind = KekKind::kPassphrase;
      URA_ASSIGN_OR_RETURN(m.kdf_salt, HexField(kek, "salt", crypto::kKdfSaltSize, file));
      m.kdf_params.ops_limit = kek.at("ops_limit").get<uint64_t>();
      m.kdf_params.mem_limit_bytes = kek.at("mem_limit_bytes").get<uint64_t>();
    } else if (kind == "key-file") {
      m.kek_kind = KekKind::kKeyFile;
    } else {
      return Corruption(file + ": unknown kek kind '" + kind + "'",
                        {file, std::nullopt, std::nullopt, "metadata"});
    }
    return m;
  } catch (const json::exception& e) {
    return Corruption(file + ": " + e.what(), {file, std::nullopt, std::nullopt, "metadata"});
  }
}

namespace {
Status SaveStoreMeta(FileSystem& fs, const StorePaths& paths, const StoreMeta& m) {
  json kek;
  if (m.kek_kind == KekKind::kPassphrase) {
    kek = {{"kind", "passphrase"},
           {"algorithm", "argon2id13"},
           {"salt", HexEncode(m.kdf_salt)},
           {"ops_limit", m.kdf_params.ops_limit},
           {"mem_limit_bytes", m.kdf_params.mem_limit_bytes}};
  } else {
    kek = {{"kind", "key-file"}};
  }
  json j = {{"format", "ura-store"},
            {"version", 1},
            {"store_id", HexEncode(m.store_id)},
            {"created_us", m.created_us},
            {"signing_key_id", m.signing_key_id},
            {"signing_public_key", HexEncode(m.signing_public_key)},
            {"kek", kek}};
  return WriteFileAtomically(fs, paths.meta, AsBytes(j.dump(2) + "\n"));
}

Result<KeySecret> ParseKeyMaterial(ByteView data, const std::string& path) {
  std::string_view text = AsString(data);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  KeySecret s;
  s.kind = KekKind::kKeyFile;
  if (data.size() == 32) {
    s.material = crypto::SecretBytes(data);
    return s;
  }
  if (text.size() == 64) {
    auto raw = HexDecode(text);
    if (raw.ok()) {
      s.material = crypto::SecretBytes(ByteView(*raw));
      return s;
    }
  }
  return InvalidArgument("key file " + path + " must hold 32 bytes or 64 hex digits");
}
}  // namespace

Result<KeySecret> ReadKeyFile(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return data.status().WithContext("reading key file");
  return ParseKeyMaterial(*data, path);
}

Result<KeySecret> CreateKeyFile(FileSystem& fs, const std::string& path) {
  crypto::SecretBytes raw(32);
  crypto::RandomBytes(raw.data(), raw.size());
  std::string hex = HexEncode(raw.view()) + "\n";
  URA_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kCreateNew));
  URA_RETURN_IF_ERROR(file->Append(AsBytes(hex)));
  URA_RETURN_IF_ERROR(file->Sync());
  KeySecret s;
  s.kind = KekKind::kKeyFile;
  s.material = std::move(raw);
  return s;
}

Bytes Keyring::WrapAad(std::string_view purpose, uint32_t id) const {
  std::string aad = "ura-keyring-v1|" + std::string(purpose) + "|" + HexEncode(meta_.store_id) +
                    "|" + std::to_string(id);
  return Bytes(aad.begin(), aad.end());
}

Result<std::unique_ptr<Keyring>> Keyring::Create(FileSystem& fs, Clock& clock,
                                                 const StorePaths& paths, const KeySecret& secret,
                                                 const crypto::Argon2Params& kdf) {
  std::unique_ptr<Keyring> k(new Keyring(fs, paths));
  StoreMeta& m = k->meta_;
  m.store_id = crypto::RandomBytes(kStoreIdSize);
  m.created_us = clock.NowMicros();
  m.kek_kind = secret.kind;
  if (secret.kind == KekKind::kPassphrase) {
    m.kdf_salt = crypto::RandomBytes(crypto::kKdfSaltSize);
    m.kdf_params = kdf;
  }
  URA_ASSIGN_OR_RETURN(k->kek_, DeriveKek(m, secret));
  k->signer_ = crypto::Ed25519Signer::Generate();
  m.signing_public_key = k->signer_->public_key();
  crypto::SecretBytes seed = k->signer_->ExportSeed();
  k->wrapped_signing_seed_ = crypto::WrapKey(k->kek_, k->WrapAad("signing", m.signing_key_id), seed.view());
  URA_RETURN_IF_ERROR(fs.CreateDir(paths.keys_dir));
  URA_ASSIGN_OR_RETURN(uint32_t id, k->RotateDataKey(clock));
  (void)id;
  URA_RETURN_IF_ERROR(SaveStoreMeta(fs, paths, m));
  return k;
}

Result<std::unique_ptr<Keyring>> Keyring::Unlock(FileSystem& fs, const StorePaths& paths,
                                                 const KeySecret& secret) {
  std::unique_ptr<Keyring> k(new Keyring(fs, paths));
  URA_ASSIGN_OR_RETURN(k->meta_, LoadStoreMeta(fs, paths));
  URA_ASSIGN_OR_RETURN(k->kek_, DeriveKek(k->meta_, secret));
  URA_ASSIGN_OR_RETURN(json j, ReadJsonFile(fs, paths.keyring));
  const std::string& file = paths.keyring;
  try {
    if (j.value("version", 0) != 1) return FailedPrecondition(file + ": unsupported keyring version");
    URA_ASSIGN_OR_RETURN(k->wrapped_signing_seed_, HexField(j.at("signing"), "wrapped_seed", 0, file));
    URA_ASSIGN_OR_RETURN(crypto::SecretBytes seed,
                         crypto::UnwrapKey(k->kek_, k->WrapAad("signing", k->meta_.signing_key_id),
                                           k->wrapped_signing_seed_));
    URA_ASSIGN_OR_RETURN(k->signer_, crypto::Ed25519Signer::FromSeed(seed.view()));
    if (k->signer_->public_key() != k->meta_.signing_public_key) {
      return Corruption(file + ": the signing key does not match store.json's public key",
                        {file, std::nullopt, std::nullopt, "keyring"});
    }
    for (const json& d : j.at("data_keys")) {
      uint32_t id = d.at("id").get<uint32_t>();
      URA_ASSIGN_OR_RETURN(Bytes wrapped, HexField(d, "wrapped", 0, file));
      URA_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                           crypto::UnwrapKey(k->kek_, k->WrapAad("data", id), wrapped));
      k->data_keys_[id] = DataKey{d.at("created_us").get<int64_t>(), std::move(wrapped), std::move(key)};
    }
    k->active_data_key_ = j.at("active_data_key").get<uint32_t>();
    k->next_writer_session_ = j.at("next_writer_session").get<uint32_t>();
    if (!k->data_keys_.count(k->active_data_key_)) {
      return Corruption(file + ": active data key is missing", {file, std::nullopt, std::nullopt, "keyring"});
    }
  } catch (const json::exception& e) {
    return Corruption(file + ": " + e.what(), {file, std::nullopt, std::nullopt, "keyring"});
  }
  return k;
}

const crypto::SecretBytes* Keyring::data_key(uint32_t id) const {
  auto it = data_keys_.find(id);
  return it == data_keys_.end() ? nullptr : &it->second.key;
}

Result<crypto::SecretBytes> Keyring::DerivedKey(std::string_view purpose) const {
  return DerivedKey(purpose, active_data_key_);
}

Result<crypto::SecretBytes> Keyring::DerivedKey(std::string_view purpose, uint32_t key_id) const {
  const crypto::SecretBytes* key = data_key(key_id);
  if (key == nullptr) return FailedPrecondition("the keyring holds no data key " + std::to_string(key_id));
  return crypto::DeriveKey(key->view(), meta_.store_id, purpose);
}

std::vector<Keyring::DataKeyInfo> Keyring::data_keys() const {
  std::vector<DataKeyInfo> out;
  for (const auto& [id, k] : data_keys_) out.push_back({id, k.created_us});
  return out;
}

Status Keyring::Save() {
  json data = json::array();
  for (const auto& [id, k] : data_keys_) {
    data.push_back({{"id", id}, {"created_us", k.created_us}, {"wrapped", HexEncode(k.wrapped)}});
  }
  json j = {{"version", 1},
            {"store_id", HexEncode(meta_.store_id)},
            {"signing", {{"id", meta_.signing_key_id}, {"wrapped_seed", HexEncode(wrapped_signing_seed_)}}},
            {"data_keys", data},
            {"active_data_key", active_data_key_},
            {"next_writer_session", next_writer_session_}};
  return WriteFileAtomically(fs_, paths_.keyring, AsBytes(j.dump(2) + "\n"));
}

Result<uint32_t> Keyring::ReserveWriterSession() {
  if (next_writer_session_ == UINT32_MAX) {
    return FailedPrecondition("writer sessions exhausted for this keyring; run `ura key rotate`");
  }
  uint32_t session = next_writer_session_;
  next_writer_session_++;
  Status s = Save();
  if (!s.ok()) {
    next_writer_session_--;
    return s.WithContext("reserving a writer session");
  }
  return session;
}

Result<uint32_t> Keyring::RotateDataKey(Clock& clock) {
  uint32_t id = data_keys_.empty() ? 1 : data_keys_.rbegin()->first + 1;
  crypto::SecretBytes key(32);
  crypto::RandomBytes(key.data(), key.size());
  Bytes wrapped = crypto::WrapKey(kek_, WrapAad("data", id), key.view());
  uint32_t previous = active_data_key_;
  data_keys_[id] = DataKey{clock.NowMicros(), std::move(wrapped), std::move(key)};
  active_data_key_ = id;
  Status s = Save();
  if (!s.ok()) {
    data_keys_.erase(id);
    active_data_key_ = previous;
    return s.WithContext("saving the rotated keyring");
  }
  return id;
}

}  // namespace ura::journal
