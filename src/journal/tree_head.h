// A signed tree head: the journal's public commitment "the first tree_size entries have
// this Merkle root, at this time", signed with the store's Ed25519 key. `ura head --json`
// prints it; anyone can keep it and later check that the journal still extends it.
#pragma once

#include <string>
#include <string_view>

#include "crypto/sha256.h"
#include "crypto/signature.h"
#include "journal/format.h"

namespace ura::journal {

struct SignedHead {
  Bytes store_id;  // 16 bytes
  uint64_t tree_size = 0;
  crypto::Hash256 root{};
  int64_t timestamp_us = 0;
  uint32_t key_id = 0;
  crypto::Signature signature{};
  crypto::PublicKey public_key{};

  Bytes Message() const { return HeadMessage(store_id, tree_size, timestamp_us, root, key_id); }
};

// JSON: {"store_id","tree_size","root_hash","timestamp","timestamp_us","key_id","signature","public_key"}
std::string HeadToJson(const SignedHead& head);
// Never throws. kInvalidArgument naming the field for malformed input.
Result<SignedHead> ParseHeadJson(std::string_view json);
// OK if the signature is valid for the head's own public key.
Status VerifyHeadSignature(const SignedHead& head);

}  // namespace ura::journal
