// Anonymised hit/no-hit (issue 10), in the spirit of FIU.net's Ma3tch: a force turns its
// persons into a filter of keyed hashes that only one partner can use; the partner matches its
// own persons against it locally and learns only which of *its* persons are hits.
//
// Match keys of a Person (text the hashes are computed over):
//   "i:" + an identifier value (idNumber, passportNumber, ... any identifier-typed property),
//          as normalised at ingest, at least 5 characters
//   "n:" + the folded name tokens (text::FoldTokens), sorted, space-separated, + "|" + a full
//          birth date (YYYY-MM-DD), for every name of two or more tokens (name-typed
//          property) and birth date
//   "p:" + the same tokens' phonetic skeletons (text::Skeleton), sorted, + "|" + the birth
//          date: joins spellings that fold apart (Srdjan/Srđan, Zeynep/Zejnep, Yağmur/Jagmur)
// Pairwise key: K = HKDF-SHA256(X25519(own secret, partner public), salt = nonce || the two
// X25519 public keys in byte order, info "ura exchange match key v1"). Both sides derive the
// same K; nobody else can. Tag = the first 8 bytes of HMAC-SHA256(K, match key).
//
// Filter file (docs/exchange.md), all integers little-endian:
//   "URAXMF01" (8) || sender bundle (64) || recipient bundle (64) || nonce (16) ||
//   created_us (i64) || count (u32) || tags (8 x count, sorted ascending) ||
//   Ed25519 signature (64) by the sender over everything before it
// The tags are padded with random ones to a multiple of kFilterPadding, so the file tells the
// count only to that granularity. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exchange/partners.h"
#include "model/entity.h"
#include "model/schema.h"

namespace ura::exchange {

inline constexpr size_t kFilterPadding = 1024;
inline constexpr size_t kMaxFilterTags = 8u << 20;  // 64 MiB of tags
inline constexpr size_t kMaxFilterBytes = 164 + 8 * kMaxFilterTags + 64;

// The match keys of an entity: only Person (and its descendants) have any. Sorted, unique.
std::vector<std::string> MatchKeys(const model::Entity& entity, const model::SchemaRegistry& registry);

// The pairwise key of this store and `partner` for the filter with `nonce`.
Result<crypto::SecretBytes> PairwiseKey(const Identity& self, const PublicBundle& partner, ByteView nonce);
uint64_t MatchTag(const crypto::SecretBytes& key, std::string_view match_key);

struct MatchFilter {
  PublicBundle sender;
  PublicBundle recipient;
  Bytes nonce;  // 16 bytes
  int64_t created_us = 0;
  std::vector<uint64_t> tags;  // sorted
};

// Builds a filter of `keys` for `partner` (random nonce, padding) and signs it.
Result<Bytes> BuildFilter(const std::vector<std::string>& keys, const Identity& self, const PublicBundle& partner,
                          int64_t now_us);
// Decodes and verifies a filter file: format, size caps, sorted tags, the sender's signature.
// kInvalidArgument naming what is wrong. Does not know partners.
Result<MatchFilter> DecodeFilter(ByteView file);

// Matches local keys against a decoded filter addressed to `self` by `partner`.
class FilterMatcher {
 public:
  static Result<FilterMatcher> Create(const MatchFilter& filter, const Identity& self);
  // True if any of `keys` is in the filter.
  bool Hit(const std::vector<std::string>& keys, std::vector<std::string>* matched = nullptr) const;

 private:
  FilterMatcher() = default;
  crypto::SecretBytes key_;
  const std::vector<uint64_t>* tags_ = nullptr;
};

}  // namespace ura::exchange
