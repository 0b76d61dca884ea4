#include "exchange/match.h"

#include <algorithm>
#include <cstring>

#include "base/bytes.h"
#include "crypto/signature.h"
#include "text/fold.h"

namespace ura::exchange {

namespace {

constexpr std::string_view kFilterMagic = "URAXMF01";
constexpr size_t kNonceSize = 16;
constexpr size_t kFixedSize = 8 + 64 + 64 + kNonceSize + 8 + 4;
constexpr size_t kMinIdentifierLength = 5;
static_assert(kFixedSize + 8 * kMaxFilterTags + 64 == kMaxFilterBytes);

void AppendBundle(Bytes& out, const PublicBundle& b) {
  AppendBytes(out, b.signing);
  AppendBytes(out, b.encryption);
}

PublicBundle ReadBundle(const uint8_t* p) {
  PublicBundle b;
  std::memcpy(b.signing.data(), p, 32);
  std::memcpy(b.encryption.data(), p + 32, 32);
  return b;
}

}  // namespace

std::vector<std::string> MatchKeys(const model::Entity& entity, const model::SchemaRegistry& registry) {
  std::vector<std::string> keys;
  const model::Schema* schema = registry.Find(entity.schema);
  if (schema == nullptr || !schema->IsA("Person")) return keys;
  std::vector<std::string> names;      // folded tokens, sorted
  std::vector<std::string> skeletons;  // their phonetic skeletons, sorted
  std::vector<std::string> dates;
  for (const auto& [property, values] : entity.properties) {
    const model::PropertySpec* spec = schema->property(property);
    if (spec == nullptr) continue;
    for (const model::PropertyValue& v : values) {
      if (spec->type == model::PropertyType::kIdentifier && v.value.size() >= kMinIdentifierLength) {
        keys.push_back("i:" + v.value);
      } else if (spec->type == model::PropertyType::kName) {
        std::vector<std::string> tokens = text::FoldTokens(v.value);
        std::sort(tokens.begin(), tokens.end());
        tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
        if (tokens.size() < 2) continue;
        std::string joined;
        for (const std::string& t : tokens) joined += (joined.empty() ? "" : " ") + t;
        names.push_back(std::move(joined));
        std::vector<std::string> sounds;
        for (const std::string& t : tokens) sounds.push_back(text::Skeleton(t));
        std::sort(sounds.begin(), sounds.end());
        std::string sound;
        for (const std::string& t : sounds) sound += (sound.empty() ? "" : " ") + t;
        skeletons.push_back(std::move(sound));
      } else if (property == "birthDate" && v.value.size() == 10) {
        dates.push_back(v.value);
      }
    }
  }
  for (const std::string& d : dates) {
    for (const std::string& n : names) keys.push_back("n:" + n + "|" + d);
    for (const std::string& n : skeletons) keys.push_back("p:" + n + "|" + d);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Result<crypto::SecretBytes> PairwiseKey(const Identity& self, const PublicBundle& partner, ByteView nonce) {
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes shared, crypto::SharedSecret(self.box, partner.encryption));
  Bytes salt(nonce.begin(), nonce.end());
  const crypto::BoxPublicKey& a = self.box.public_key;
  const crypto::BoxPublicKey& b = partner.encryption;
  AppendBytes(salt, a < b ? a : b);
  AppendBytes(salt, a < b ? b : a);
  return crypto::DeriveKey(shared.view(), salt, "ura exchange match key v1");
}

uint64_t MatchTag(const crypto::SecretBytes& key, std::string_view match_key) {
  const crypto::Hash256 mac = crypto::HmacSha256(key.view(), AsBytes(match_key));
  return GetU64(mac.data());
}

Result<Bytes> BuildFilter(const std::vector<std::string>& keys, const Identity& self, const PublicBundle& partner,
                          int64_t now_us) {
  const Bytes nonce = crypto::RandomBytes(kNonceSize);
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes key, PairwiseKey(self, partner, nonce));
  std::vector<uint64_t> tags;
  tags.reserve(keys.size());
  for (const std::string& k : keys) tags.push_back(MatchTag(key, k));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  // Random padding: the count shows only to the next multiple of kFilterPadding.
  const size_t padded = std::max<size_t>(kFilterPadding, (tags.size() + kFilterPadding - 1) / kFilterPadding * kFilterPadding);
  while (tags.size() < padded) {
    uint64_t t = 0;
    crypto::RandomBytes(reinterpret_cast<uint8_t*>(&t), sizeof t);
    tags.push_back(t);
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  if (tags.size() > kMaxFilterTags) {
    return ResourceExhausted("the filter would hold " + std::to_string(tags.size()) + " keys, more than " +
                             std::to_string(kMaxFilterTags));
  }
  Bytes file(AsBytes(kFilterMagic).begin(), AsBytes(kFilterMagic).end());
  AppendBundle(file, self.bundle());
  AppendBundle(file, partner);
  AppendBytes(file, nonce);
  AppendU64(file, static_cast<uint64_t>(now_us));
  AppendU32(file, static_cast<uint32_t>(tags.size()));
  for (uint64_t t : tags) AppendU64(file, t);
  const crypto::Signature signature = self.signer->Sign(file);
  AppendBytes(file, signature);
  return file;
}

Result<MatchFilter> DecodeFilter(ByteView file) {
  if (file.size() < kFixedSize + 64 || std::memcmp(file.data(), kFilterMagic.data(), kFilterMagic.size()) != 0) {
    return InvalidArgument("not an Ura match filter (it does not start with URAXMF01, or is cut short)");
  }
  const uint32_t count = GetU32(file.data() + kFixedSize - 4);
  if (count > kMaxFilterTags) return InvalidArgument("the filter claims more keys than allowed");
  if (file.size() != kFixedSize + 8ull * count + 64) {
    return InvalidArgument("the filter is " + std::to_string(file.size()) + " bytes, its header says " +
                           std::to_string(kFixedSize + 8ull * count + 64) + ": cut or padded");
  }
  MatchFilter f;
  f.sender = ReadBundle(file.data() + 8);
  f.recipient = ReadBundle(file.data() + 72);
  f.nonce.assign(file.begin() + 136, file.begin() + 136 + kNonceSize);
  f.created_us = static_cast<int64_t>(GetU64(file.data() + 152));
  const ByteView signed_part = file.first(file.size() - 64);
  if (!crypto::VerifyEd25519(f.sender.signing, signed_part, file.last(64))) {
    return InvalidArgument("the filter's signature does not verify: it was altered after signing");
  }
  f.tags.reserve(count);
  for (uint32_t i = 0; i < count; ++i) f.tags.push_back(GetU64(file.data() + kFixedSize + 8ull * i));
  if (!std::is_sorted(f.tags.begin(), f.tags.end())) return InvalidArgument("the filter's keys are not sorted");
  return f;
}

Result<FilterMatcher> FilterMatcher::Create(const MatchFilter& filter, const Identity& self) {
  if (filter.recipient != self.bundle()) {
    return FailedPrecondition("the filter is addressed to another store (" + Fingerprint(filter.recipient) +
                              "; this store is " + Fingerprint(self.bundle()) + "): it cannot be used here");
  }
  FilterMatcher m;
  URA_ASSIGN_OR_RETURN(m.key_, PairwiseKey(self, filter.sender, filter.nonce));
  m.tags_ = &filter.tags;
  return m;
}

bool FilterMatcher::Hit(const std::vector<std::string>& keys, std::vector<std::string>* matched) const {
  bool hit = false;
  for (const std::string& k : keys) {
    if (std::binary_search(tags_->begin(), tags_->end(), MatchTag(key_, k))) {
      hit = true;
      if (matched != nullptr) {
        matched->push_back(k[0] == 'i' ? "identifier" : k[0] == 'n' ? "name+birth date" : "name sound+birth date");
      }
    }
  }
  return hit;
}

}  // namespace ura::exchange
