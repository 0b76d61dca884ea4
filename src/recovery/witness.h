// Witnesses: a second site (a partner force, an offline laptop) that cosigns the store's
// signed heads, so that a primary showing different histories to different parties, or
// rolled back to an older copy, is caught.
//
// A witness keeps, per store, the last head it cosigned (STATE_DIR/<store id>.json). It
// cosigns a new head only if the head's own signature verifies and the head extends that last
// one: same store and key, not smaller, and -- if larger -- an RFC 9162 consistency proof from
// the old size to the new (`ura proof consistency OLD --tree-size NEW`) checks out; at equal
// size the roots must be equal. The cosignature is Ed25519 under the witness's own key over
// "URA-WITNESS-COSIGN-V1" || the head's signed message (format.h HeadMessage).
//
// Cosignature file (JSON): {"format": "ura-cosignature", "version": 1, "head": {...},
//   "witness_public_key": hex, "cosigned_us": n, "signature": hex}
//
// A checker (`ura verify --witness PUBKEY...`) accepts a journal only if, for every witness
// named, a valid cosignature of that witness covers a head that is in the journal's history.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "crypto/signature.h"
#include "journal/proof_codec.h"
#include "journal/tree_head.h"
#include "recovery/backup.h"

namespace ura::recovery {

struct Cosignature {
  journal::SignedHead head;
  crypto::PublicKey witness{};
  int64_t cosigned_us = 0;
  crypto::Signature signature{};
};

Bytes CosignMessage(const journal::SignedHead& head);
std::string CosignatureToJson(const Cosignature& c);
// kInvalidArgument naming `file` for malformed input.
Result<Cosignature> ParseCosignature(std::string_view text, const std::string& file);
// OK if both the witness's signature and the store's head signature verify.
Status VerifyCosignature(const Cosignature& c);

// A witness key file: the 32-byte Ed25519 seed as 64 hex digits (mode 0600).
Result<std::unique_ptr<crypto::Ed25519Signer>> LoadWitnessKey(FileSystem& fs, const std::string& path);
// Creates a new key file; fails if `path` exists.
Result<std::unique_ptr<crypto::Ed25519Signer>> CreateWitnessKey(FileSystem& fs, const std::string& path);

struct CosignResult {
  Cosignature cosignature;
  std::optional<uint64_t> previous_size;  // the last head this witness had cosigned
};

// Cosigns `head` if it extends the last head cosigned for its store (see above) and records
// it in `state_dir`. kFailedPrecondition with the reason (rollback, fork, another key, no or a
// bad proof) otherwise; the state is then unchanged.
Result<CosignResult> Cosign(FileSystem& fs, const crypto::Ed25519Signer& witness, const journal::SignedHead& head,
                            const journal::ConsistencyProofDoc* proof, const std::string& state_dir, Clock& clock);

struct WitnessVerdict {
  std::string witness;                 // hex public key
  bool ok = false;
  uint64_t cosigned_size = 0;          // the largest cosigned head found in the history
  int64_t cosigned_us = 0;             // when the witness cosigned that head
  std::string problem;
};

// Checks, for each witness key (hex), the cosignature files in `dir` against the journal's
// head frames (`heads`, from a journal VerifyJournal found intact). A cosignature by a named
// witness of this store whose head is not in the history is a fork; one past the journal's
// end a rollback. A file in `dir` that is not a cosignature is a verdict of its own (witness
// empty, the file and what is wrong in `problem`): damage is reported, not skipped.
Result<std::vector<WitnessVerdict>> CheckWitnesses(FileSystem& fs, const std::string& dir,
                                                   const std::vector<std::string>& witness_keys,
                                                   const journal::StoreMeta& meta, const std::vector<HeadFrame>& heads);

// The witnesses (hex public keys) with a cosignature of this store in `dir`, sorted; none if
// `dir` does not exist. For showing every witness, not only the ones named.
Result<std::vector<std::string>> WitnessesIn(FileSystem& fs, const std::string& dir, const journal::StoreMeta& meta);

}  // namespace ura::recovery
