// The store's identity and keys: `DIR/store.json` (public: store id, signing public key,
// how the key-encryption key is derived) and `DIR/keys/keyring.json` (the signing key and
// the per-epoch data keys, each wrapped by the key-encryption key, plus the writer-session
// counter of the nonce scheme). docs/journal-format.md describes both files.
//
// A Keyring is unlocked with a KeySecret (a passphrase run through Argon2id, or the 32 bytes
// of a key file). It is not thread-safe; the Journal serialises its use.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/file_system.h"
#include "crypto/key_wrap.h"
#include "crypto/signature.h"

namespace ura::journal {

struct StorePaths {
  explicit StorePaths(std::string dir);
  std::string dir, meta, keys_dir, keyring, journal_dir, lock;
};

enum class KekKind { kPassphrase, kKeyFile };

struct StoreMeta {
  Bytes store_id;  // 16 random bytes
  int64_t created_us = 0;
  uint32_t signing_key_id = 1;
  crypto::PublicKey signing_public_key{};
  KekKind kek_kind = KekKind::kPassphrase;
  Bytes kdf_salt;  // passphrase only
  crypto::Argon2Params kdf_params;
};

Result<StoreMeta> LoadStoreMeta(FileSystem& fs, const StorePaths& paths);
// The same from the bytes of a store.json (`file` names it in errors), e.g. fetched by a pull backup.
Result<StoreMeta> ParseStoreMeta(std::string_view text, const std::string& file);

// The secret that unlocks a keyring. Never logged, never printed.
struct KeySecret {
  KekKind kind = KekKind::kPassphrase;
  crypto::SecretBytes material;  // passphrase bytes, or the 32-byte key from a key file
};

// Reads a key file: exactly 32 raw bytes or 64 hex digits (a trailing newline allowed).
Result<KeySecret> ReadKeyFile(FileSystem& fs, const std::string& path);
// Creates a new key file (mode 0600) holding 64 hex digits of fresh randomness.
Result<KeySecret> CreateKeyFile(FileSystem& fs, const std::string& path);

class Keyring {
 public:
  // Creates store.json and keys/keyring.json for a new store in an existing, empty `dir`.
  static Result<std::unique_ptr<Keyring>> Create(FileSystem& fs, Clock& clock,
                                                 const StorePaths& paths, const KeySecret& secret,
                                                 const crypto::Argon2Params& kdf);
  // kFailedPrecondition for a wrong passphrase or key file.
  static Result<std::unique_ptr<Keyring>> Unlock(FileSystem& fs, const StorePaths& paths,
                                                 const KeySecret& secret);

  const StoreMeta& meta() const { return meta_; }
  const crypto::Ed25519Signer& signer() const { return *signer_; }
  uint32_t active_data_key_id() const { return active_data_key_; }
  // nullptr if the keyring has no data key with that id (or it was destroyed).
  const crypto::SecretBytes* data_key(uint32_t id) const;
  struct DataKeyInfo {
    uint32_t id;
    int64_t created_us;
  };
  std::vector<DataKeyInfo> data_keys() const;
  // A key for another encrypted structure of the store (e.g. "ura index page key v1"),
  // derived with HKDF from the active data key (or data key `key_id`) and the store id:
  // different for every purpose, and new after every `ura key rotate`, so a structure sealed
  // with it is re-keyed (rebuilt) after a rotation and an old leaked data key does not open it.
  Result<crypto::SecretBytes> DerivedKey(std::string_view purpose) const;
  Result<crypto::SecretBytes> DerivedKey(std::string_view purpose, uint32_t key_id) const;

  // Durably increments the writer-session counter and returns the value reserved for this
  // writer: no two writers, before or after a crash, get the same session.
  Result<uint32_t> ReserveWriterSession();
  // Adds a new data key, makes it active, and persists the keyring. Returns its id.
  Result<uint32_t> RotateDataKey(Clock& clock);

 private:
  Keyring(FileSystem& fs, StorePaths paths) : fs_(fs), paths_(std::move(paths)) {}
  Status Save();
  Bytes WrapAad(std::string_view purpose, uint32_t id) const;

  FileSystem& fs_;
  StorePaths paths_;
  StoreMeta meta_;
  crypto::SecretBytes kek_;
  std::unique_ptr<crypto::Ed25519Signer> signer_;
  Bytes wrapped_signing_seed_;
  struct DataKey {
    int64_t created_us;
    Bytes wrapped;
    crypto::SecretBytes key;
  };
  std::map<uint32_t, DataKey> data_keys_;
  uint32_t active_data_key_ = 0;
  uint32_t next_writer_session_ = 0;
};

}  // namespace ura::journal
