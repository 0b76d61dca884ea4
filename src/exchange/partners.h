// Exchange keys and partner forces (issue 10): this store's exchange identity and the partner
// forces it exchanges with, both kept as journal entries -- encrypted, hash-chained and signed
// like the data, so a partner's key cannot be swapped without `ura verify` seeing it.
//
// Journal entry types (canonical JSON payloads, keys sorted):
//   80 identity  {"key_id":N,"time_us":N,"v":1,"wrapped":HEX}: this store's exchange seeds
//                (Ed25519 signing seed || X25519 seed, 64 bytes) wrapped with XChaCha20-Poly1305
//                (crypto/key_wrap.h) under a key derived from data key `key_id` of the keyring
//                ("ura exchange identity wrap v1"), so `ura journal cat` never shows them.
//                Written once, on first use; the first one in the journal is the identity.
//   81 partner   {"added_by":USER,"encryption_key":HEX,"name":NAME,"signing_key":HEX,"time_us":N,"v":1}
//   82 received  {"entities":N,"handling":"H2","package":ID,"partner":NAME,"time_us":N,"v":1}:
//                a package imported; its id is refused from then on (replay).
//   83 permit    {"by":USER,"ids":[ID,...],"reference":TEXT,"time_us":N,"to":NAME,"v":1}: the
//                originator's permission to pass these H2 records on to partner NAME (its
//                reference, e.g. the SIENA message granting it), recorded by a liaison officer.
//
// A public key bundle travels as one text token:
//   ura-x1:<64 hex Ed25519 signing key><64 hex X25519 key><8 hex check>
// (check: the first 4 bytes of SHA-256 of the 64 key bytes, catching a mistyped token).
// Not thread-safe; values are plain data.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/box.h"
#include "crypto/signature.h"
#include "journal/journal.h"
#include "journal/keys.h"

namespace ura::exchange {

inline constexpr uint32_t kEntryTypeIdentity = 80;
inline constexpr uint32_t kEntryTypePartner = 81;
inline constexpr uint32_t kEntryTypeReceived = 82;
inline constexpr uint32_t kEntryTypePermit = 83;

struct PublicBundle {
  crypto::PublicKey signing{};
  crypto::BoxPublicKey encryption{};
  bool operator==(const PublicBundle&) const = default;
};

std::string EncodeBundle(const PublicBundle& bundle);
// kInvalidArgument saying what is wrong with the token (prefix, length, hex, check).
Result<PublicBundle> DecodeBundle(std::string_view token);
// A short fingerprint for people and error messages: 16 hex digits of SHA-256 of both keys.
std::string Fingerprint(const PublicBundle& bundle);
// 8 bytes naming an X25519 key in a package header: SHA-256 of the key, truncated.
std::array<uint8_t, 8> EncryptionKeyId(const crypto::BoxPublicKey& key);

// This store's exchange keys. Move-only.
struct Identity {
  std::unique_ptr<crypto::Ed25519Signer> signer;
  crypto::BoxKeyPair box;
  PublicBundle bundle() const { return {signer->public_key(), box.public_key}; }
};

// An identity from 64 bytes of seeds (Ed25519 seed || X25519 seed); kInvalidArgument otherwise.
Result<Identity> IdentityFromSeeds(ByteView seeds);
// A fresh random identity (tests, and EnsureIdentity).
Identity NewIdentity();

struct Partner {
  std::string name;
  PublicBundle keys;
  std::string added_by;
  int64_t time_us = 0;
};

struct Receipt {
  std::string package;
  std::string partner;
  int64_t time_us = 0;
};

// What the journal says about the exchange.
struct ExchangeState {
  std::optional<Identity> identity;
  std::map<std::string, Partner> partners;  // by name
  std::map<std::string, Receipt> received;  // by package id
  // Permissions to pass H2 records on: (entity id, partner) -> the permission's reference.
  std::map<std::pair<std::string, std::string>, std::string> permits;

  const Partner* FindBySigningKey(const crypto::PublicKey& key) const;
};

// A partner name: 1 to 40 of [a-z0-9-], starting with a letter. kInvalidArgument otherwise.
Status CheckPartnerName(std::string_view name);

// Reads entries 80-83 (validating every segment, decrypting only those).
Result<ExchangeState> LoadExchangeState(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring);
// Applies one entry (what LoadExchangeState does for each). kInvalidArgument for a payload
// that does not decode.
Status ApplyEntry(ExchangeState& state, const journal::Keyring& keyring, uint32_t type, std::string_view payload);

// The store's identity: the one in `state`, else a new one journaled now (and put in `state`).
Result<const Identity*> EnsureIdentity(ExchangeState& state, journal::Journal& journal, int64_t now_us);

// The payload of the journal entry (type 81) registering `partner`, after checking it: kAlreadyExists
// for a name taken or keys already registered under another name; kInvalidArgument for a bad name
// or this store's own keys. The caller appends it (with its audit record).
Result<std::string> EncodePartnerEntry(const ExchangeState& state, const Partner& partner);

struct Permit {
  std::vector<std::string> ids;
  std::string to;         // partner name
  std::string reference;  // where the originator granted it (3-500 characters)
  std::string by;
  int64_t time_us = 0;
};
// The payload of a permit entry (type 83), after checking the partner exists and the reference
// is 3 to 500 characters: kNotFound, kInvalidArgument.
Result<std::string> EncodePermitEntry(const ExchangeState& state, const Permit& permit);

// The payload of a received-package entry.
std::string EncodeReceipt(const Receipt& receipt, uint64_t entities, std::string_view handling);

}  // namespace ura::exchange
