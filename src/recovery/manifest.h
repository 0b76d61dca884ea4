// A backup manifest: what one `ura backup` run kept. Stored as
// TARGET/manifests/<run:010>.json, written once and never changed. docs/architecture.md
// ("Backup and restore") describes the layout.
//
//   {"format": "ura-backup-manifest", "version": 1, "run": 3, "created_us": ...,
//    "source": "local:/srv/ura", "store_id": hex, "head": {signed head as `ura head --json`},
//    "previous": sha256 hex of the previous run's manifest file ("" for the first),
//    "files": [{"path", "size", "sha256", "segment", "sealed", "chunks": [[sha256 hex, size]...]}...],
//    "public_key": hex, "signature": hex}
//
// The signature is Ed25519 (the store's signing key, the key that signs tree heads) over
// "URA-BACKUP-MANIFEST-V1\n" followed by the manifest's JSON without "signature", serialised by
// nlohmann::json::dump() (object keys sorted, no spaces), so a verifier recomputes the same
// bytes from the parsed document. A file's bytes are stored in chunks cut at fixed offsets
// (every 8 MiB by default; backup.h): chunk i is objects/<sha256 of the chunk>. Segments only
// grow, so every chunk but a segment's last keeps its bytes from run to run, and a run copies
// only the chunks it has not seen: the open segment's new tail, not the whole segment.
#pragma once

#include <string>
#include <vector>

#include "crypto/signature.h"
#include "journal/tree_head.h"

namespace ura::recovery {

struct ManifestChunk {
  crypto::Hash256 sha256{};
  uint64_t size = 0;
};

struct ManifestFile {
  std::string path;  // relative to the store
  uint64_t size = 0;
  crypto::Hash256 sha256{};  // of the whole file
  std::vector<ManifestChunk> chunks;  // in order; their sizes add up to `size`
  bool segment = false;
  bool sealed = false;
};

struct Manifest {
  uint64_t run = 0;
  int64_t created_us = 0;
  std::string source;
  Bytes store_id;
  journal::SignedHead head;
  std::string previous;  // hex SHA-256 of the previous manifest file, or ""
  std::vector<ManifestFile> files;
  crypto::PublicKey public_key{};
  crypto::Signature signature{};
};

// Signs manifests. The local implementation holds the store's Ed25519 signer; a pull-mode
// backup host can supply its own. Thread-compatible.
class ManifestSigner {
 public:
  virtual ~ManifestSigner() = default;
  virtual crypto::PublicKey public_key() const = 0;
  virtual Result<crypto::Signature> Sign(ByteView message) const = 0;
};

class Ed25519ManifestSigner final : public ManifestSigner {
 public:
  explicit Ed25519ManifestSigner(const crypto::Ed25519Signer& signer) : signer_(signer) {}
  crypto::PublicKey public_key() const override { return signer_.public_key(); }
  Result<crypto::Signature> Sign(ByteView message) const override { return signer_.Sign(message); }

 private:
  const crypto::Ed25519Signer& signer_;  // not owned; outlives this
};

// The bytes the signature covers.
Bytes ManifestSigningMessage(const Manifest& m);
// Signs `m` in place (sets public_key and signature) and returns the file's bytes.
Result<std::string> SignManifest(Manifest& m, const ManifestSigner& signer);
// The exact bytes of the file of a signed manifest: compact JSON and a newline. A reader
// compares the file with this, so no byte of it can change unnoticed.
std::string ManifestFileText(const Manifest& m);
// Parses a manifest file. kDataLoss naming `file` and the field for anything malformed.
Result<Manifest> ParseManifest(std::string_view text, const std::string& file);
// The manifest in a signing message (ManifestSigningMessage's bytes, no signature), for a
// primary asked to sign a pull backup's manifest. kInvalidArgument unless the bytes are exactly
// what ManifestSigningMessage makes of the manifest they hold.
Result<Manifest> ParseManifestSigningMessage(ByteView message);
// OK if the signature verifies under the manifest's own public key.
Status VerifyManifestSignature(const Manifest& m, const std::string& file);

std::string ManifestFileName(uint64_t run);  // "0000000003.json"
std::optional<uint64_t> ParseManifestFileName(const std::string& name);

}  // namespace ura::recovery
