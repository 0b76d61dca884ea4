// Pull backups (issue 6, point 2): a backup host copies a primary's store through the
// primary's API, so the primary holds no credential for the backup host and cannot reach,
// overwrite or delete what the backup host keeps.
//
// The primary answers three requests, for a `backup` service account only (access/policy.h,
// Action::kReadSealedFiles; http/backup_routes.cc decodes them and calls PullPrimary):
//   GET  /api/v1/backup/snapshot                          the files to keep, as of the latest signed head
//   GET  /api/v1/backup/file?path=P&offset=O&length=N     bytes of one of them (N <= kMaxPullRead)
//   POST /api/v1/backup/manifest-signature                the run's manifest, signed by the store key
// The backup host runs the ordinary backup engine (backup.h) over PullSource and
// PrimaryManifestSigner, which speak to the primary through a PullTransport
// (http/pull_client.h: HTTPS with the account's API token).
//
// What the account can get: the journal's files as they are on disk (encrypted; the keyring
// wrapped by the store's key-encryption key), and signatures over manifests. Manifests are
// signed by the store's key so that `ura backup --check` and `ura restore` treat a pulled backup
// exactly as a local one (keyless, against the store's key). The primary signs only a message
// with the manifest prefix (no tree head can be forged with it), in canonical form, naming this
// store and key, a head this store signed, and only files the store has: store.json and the
// key files with their current SHA-256, segments no longer than on disk (sealed ones exactly as
// long). It does not re-hash segment bytes (that would read the whole journal on every run): a
// manifest naming wrong segment chunks makes a backup that `--check --read-data` and `restore`
// report as damaged, because every journal byte is checked against the store-signed heads in
// the segments themselves.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "crypto/signature.h"
#include "recovery/backup_source.h"
#include "recovery/manifest.h"

namespace ura::recovery {

// The most bytes one file request returns (the engine reads in chunks of this size).
constexpr uint64_t kMaxPullRead = 8u << 20;

// Whether `path` names a file a backup keeps, relative to a store: "store.json",
// "keys/NAME" (NAME of letters, digits, '.', '_', '-'; not hidden, not a .tmp), or
// "journal/seg-NNNNNNNNNNNNNNNN.ura". Nothing else (no "..", no absolute paths, no index files).
bool IsStoreFilePath(std::string_view path);

// --- The primary's side ---------------------------------------------------------------------

class PullPrimary {
 public:
  // The store at `store_dir`; `signer` is its signing key (the one that signs tree heads).
  PullPrimary(FileSystem& fs, std::string store_dir, const crypto::Ed25519Signer& signer)
      : fs_(fs), store_dir_(std::move(store_dir)), signer_(signer) {}

  // {"format": "ura-backup-snapshot", "version": 1, "head": {as `ura head --json`},
  //  "files": [{"path", "size", "segment", "sealed"}...]}, and the snapshot itself.
  Result<std::string> SnapshotJson(SourceSnapshot* snapshot = nullptr);
  // Up to `length` (<= kMaxPullRead) bytes of the store file `path` from `offset`; fewer at
  // its end. kInvalidArgument for a path that is not a store file or a length too large,
  // kNotFound for a file the store does not have.
  Result<Bytes> Read(const std::string& path, uint64_t offset, uint64_t length);
  // Checks the manifest in `message` (ManifestSigningMessage's bytes) against the store as
  // above and signs it. kInvalidArgument for a malformed message or a head this store did
  // not sign; kFailedPrecondition for another store or key, a file the store does not have or
  // has changed since the snapshot (the reason names the file). `checked` gets the manifest.
  Result<crypto::Signature> CheckAndSign(ByteView message, Manifest* checked = nullptr);

 private:
  FileSystem& fs_;
  std::string store_dir_;
  const crypto::Ed25519Signer& signer_;
};

// --- The backup host's side ------------------------------------------------------------------

// How the backup host reaches the primary. Implementations turn refusals and network errors
// into a Status whose message says what to do (wrong token, wrong role, certificate).
class PullTransport {
 public:
  virtual ~PullTransport() = default;
  // The body of a 200 answer to GET `target` ("/api/v1/...?...").
  virtual Result<std::string> Get(const std::string& target) = 0;
  // The body of a 200 answer to POST `target` with an application/octet-stream `body`.
  virtual Result<std::string> Post(const std::string& target, const std::string& body) = 0;
  // "https://primary.example:8443", for messages and manifests.
  virtual std::string Describe() const = 0;
};

// A primary's store seen through its API. Snapshot() fetches the file list and store.json;
// everything the primary sends is checked (file names, the head's signature against
// store.json's key, sizes), and the engine validates every segment byte before keeping it.
class PullSource final : public BackupSource {
 public:
  explicit PullSource(PullTransport& transport) : transport_(transport) {}
  Result<SourceSnapshot> Snapshot() override;
  Result<std::unique_ptr<ReadableFile>> Open(const SourceFile& file) override;
  std::string Describe() const override { return transport_.Describe(); }
  // The primary's store.json, once Snapshot() succeeded.
  const std::optional<journal::StoreMeta>& meta() const { return meta_; }

 private:
  PullTransport& transport_;
  std::optional<journal::StoreMeta> meta_;
};

// Has the primary sign a manifest with the store key, and checks the signature before using it.
class PrimaryManifestSigner final : public ManifestSigner {
 public:
  PrimaryManifestSigner(PullTransport& transport, const PullSource& source) : transport_(transport), source_(source) {}
  crypto::PublicKey public_key() const override;
  Result<crypto::Signature> Sign(ByteView message) const override;

 private:
  PullTransport& transport_;
  const PullSource& source_;
};

}  // namespace ura::recovery
