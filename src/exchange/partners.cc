#include "exchange/partners.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "crypto/key_wrap.h"
#include "crypto/sha256.h"
#include "journal/journal_reader.h"

namespace ura::exchange {

namespace {

constexpr std::string_view kBundlePrefix = "ura-x1:";
constexpr std::string_view kIdentityWrapPurpose = "ura exchange identity wrap v1";
constexpr size_t kSeedsSize = crypto::kEd25519SeedSize + crypto::kX25519KeySize;

Bytes WrapAad(const journal::Keyring& keyring, uint32_t key_id) {
  Bytes aad(AsBytes("ura-exchange-identity").begin(), AsBytes("ura-exchange-identity").end());
  AppendBytes(aad, keyring.meta().store_id);
  AppendU32(aad, key_id);
  return aad;
}

template <size_t N>
Result<std::array<uint8_t, N>> FixedHex(const nlohmann::json& j, const char* field) {
  if (!j.contains(field) || !j[field].is_string()) {
    return InvalidArgument(std::string("field '") + field + "' is missing or not a string");
  }
  auto bytes = HexDecode(j[field].get<std::string>());
  if (!bytes.ok() || bytes->size() != N) {
    return InvalidArgument(std::string("field '") + field + "' is not " + std::to_string(N) + " bytes of hex");
  }
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<nlohmann::json> ParseObject(std::string_view payload, std::initializer_list<const char*> fields) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("not a JSON object");
  if (!j.contains("v") || j["v"] != 1) return InvalidArgument("field 'v' must be 1");
  if (j.size() != fields.size() + 1) return InvalidArgument("unexpected fields");
  for (const char* f : fields) {
    if (!j.contains(f)) return InvalidArgument(std::string("field '") + f + "' is missing");
  }
  return j;
}

}  // namespace

Result<Identity> IdentityFromSeeds(ByteView seeds) {
  if (seeds.size() != kSeedsSize) return InvalidArgument("exchange seeds are 64 bytes");
  Identity id;
  URA_ASSIGN_OR_RETURN(id.signer, crypto::Ed25519Signer::FromSeed(seeds.subspan(0, crypto::kEd25519SeedSize)));
  URA_ASSIGN_OR_RETURN(id.box, crypto::BoxKeyPairFromSeed(seeds.subspan(crypto::kEd25519SeedSize)));
  return id;
}

Identity NewIdentity() {
  crypto::SecretBytes seeds(kSeedsSize);
  crypto::RandomBytes(seeds.data(), seeds.size());
  return std::move(IdentityFromSeeds(seeds.view())).value();
}

std::string EncodeBundle(const PublicBundle& bundle) {
  Bytes keys(bundle.signing.begin(), bundle.signing.end());
  AppendBytes(keys, bundle.encryption);
  const crypto::Hash256 check = crypto::Sha256(keys);
  return std::string(kBundlePrefix) + HexEncode(keys) + HexEncode(ByteView(check.data(), 4));
}

Result<PublicBundle> DecodeBundle(std::string_view token) {
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.remove_suffix(1);
  if (!token.starts_with(kBundlePrefix)) {
    return InvalidArgument("a partner key starts with 'ura-x1:' (the partner prints it with `ura partner self`)");
  }
  token.remove_prefix(kBundlePrefix.size());
  if (token.size() != 136) {
    return InvalidArgument("a partner key has 136 hex digits after 'ura-x1:', this one " +
                           std::to_string(token.size()) + ": it was cut or mistyped");
  }
  auto bytes = HexDecode(token);
  if (!bytes.ok()) return InvalidArgument("the partner key is not hex: " + bytes.status().message());
  const crypto::Hash256 check = crypto::Sha256(ByteView(bytes->data(), 64));
  if (!std::equal(check.begin(), check.begin() + 4, bytes->begin() + 64)) {
    return InvalidArgument("the partner key's check digits do not match: it was mistyped or altered");
  }
  PublicBundle bundle;
  std::copy(bytes->begin(), bytes->begin() + 32, bundle.signing.begin());
  std::copy(bytes->begin() + 32, bytes->begin() + 64, bundle.encryption.begin());
  return bundle;
}

std::string Fingerprint(const PublicBundle& bundle) {
  Bytes keys(bundle.signing.begin(), bundle.signing.end());
  AppendBytes(keys, bundle.encryption);
  const crypto::Hash256 h = crypto::Sha256(keys);
  return HexEncode(ByteView(h.data(), 8));
}

std::array<uint8_t, 8> EncryptionKeyId(const crypto::BoxPublicKey& key) {
  const crypto::Hash256 h = crypto::Sha256(key);
  std::array<uint8_t, 8> id{};
  std::copy(h.begin(), h.begin() + 8, id.begin());
  return id;
}

const Partner* ExchangeState::FindBySigningKey(const crypto::PublicKey& key) const {
  for (const auto& [name, p] : partners) {
    if (p.keys.signing == key) return &p;
  }
  return nullptr;
}

Status CheckPartnerName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 40 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) {
    return InvalidArgument("a partner name is 1 to 40 lower-case letters, digits or '-', starting with a letter");
  }
  return Status::Ok();
}

Status ApplyEntry(ExchangeState& state, const journal::Keyring& keyring, uint32_t type, std::string_view payload) {
  if (type == kEntryTypeIdentity) {
    URA_ASSIGN_OR_RETURN(nlohmann::json j, ParseObject(payload, {"key_id", "time_us", "wrapped"}));
    if (state.identity) return Status::Ok();  // the first one is the identity
    if (!j["key_id"].is_number_unsigned() || !j["wrapped"].is_string()) return InvalidArgument("bad field types");
    const uint32_t key_id = j["key_id"].get<uint32_t>();
    URA_ASSIGN_OR_RETURN(Bytes wrapped, HexDecode(j["wrapped"].get<std::string>()));
    URA_ASSIGN_OR_RETURN(crypto::SecretBytes kek, keyring.DerivedKey(kIdentityWrapPurpose, key_id));
    URA_ASSIGN_OR_RETURN(crypto::SecretBytes seeds, crypto::UnwrapKey(kek, WrapAad(keyring, key_id), wrapped));
    if (seeds.size() != kSeedsSize) return InvalidArgument("the exchange seeds are not 64 bytes");
    URA_ASSIGN_OR_RETURN(Identity id, IdentityFromSeeds(seeds.view()));
    state.identity = std::move(id);
    return Status::Ok();
  }
  if (type == kEntryTypePartner) {
    URA_ASSIGN_OR_RETURN(nlohmann::json j,
                         ParseObject(payload, {"added_by", "encryption_key", "name", "signing_key", "time_us"}));
    Partner p;
    if (!j["name"].is_string() || !j["added_by"].is_string() || !j["time_us"].is_number_integer()) {
      return InvalidArgument("bad field types");
    }
    p.name = j["name"].get<std::string>();
    p.added_by = j["added_by"].get<std::string>();
    p.time_us = j["time_us"].get<int64_t>();
    URA_ASSIGN_OR_RETURN(p.keys.signing, FixedHex<32>(j, "signing_key"));
    URA_ASSIGN_OR_RETURN(p.keys.encryption, FixedHex<32>(j, "encryption_key"));
    state.partners[p.name] = std::move(p);
    return Status::Ok();
  }
  if (type == kEntryTypeReceived) {
    URA_ASSIGN_OR_RETURN(nlohmann::json j,
                         ParseObject(payload, {"entities", "handling", "package", "partner", "time_us"}));
    if (!j["package"].is_string() || !j["partner"].is_string() || !j["time_us"].is_number_integer()) {
      return InvalidArgument("bad field types");
    }
    Receipt r{j["package"].get<std::string>(), j["partner"].get<std::string>(), j["time_us"].get<int64_t>()};
    state.received[r.package] = r;
    return Status::Ok();
  }
  if (type == kEntryTypePermit) {
    URA_ASSIGN_OR_RETURN(nlohmann::json j, ParseObject(payload, {"by", "ids", "reference", "time_us", "to"}));
    if (!j["to"].is_string() || !j["reference"].is_string() || !j["ids"].is_array()) {
      return InvalidArgument("bad field types");
    }
    for (const nlohmann::json& id : j["ids"]) {
      if (!id.is_string()) return InvalidArgument("bad field types");
      state.permits[{id.get<std::string>(), j["to"].get<std::string>()}] = j["reference"].get<std::string>();
    }
    return Status::Ok();
  }
  return Status::Ok();
}

Result<ExchangeState> LoadExchangeState(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring) {
  ExchangeState state;
  const std::vector<uint32_t> types = {kEntryTypeIdentity, kEntryTypePartner, kEntryTypeReceived, kEntryTypePermit};
  URA_RETURN_IF_ERROR(journal::ReadEntriesOfTypes(fs, paths, keyring, types, [&](const journal::DecodedEntry& e) {
    Status applied = ApplyEntry(state, keyring, e.type, AsString(e.payload));
    if (!applied.ok()) {
      return Corruption("exchange entry " + std::to_string(e.sequence) + " does not decode: " + applied.message(),
                        {.sequence = e.sequence, .kind = "exchange-entry"});
    }
    return Status::Ok();
  }));
  return state;
}

Result<const Identity*> EnsureIdentity(ExchangeState& state, journal::Journal& journal, int64_t now_us) {
  if (state.identity) return &*state.identity;
  const journal::Keyring& keyring = journal.keyring();
  crypto::SecretBytes seeds(kSeedsSize);
  crypto::RandomBytes(seeds.data(), seeds.size());
  const uint32_t key_id = keyring.active_data_key_id();
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes kek, keyring.DerivedKey(kIdentityWrapPurpose, key_id));
  const Bytes wrapped = crypto::WrapKey(kek, WrapAad(keyring, key_id), seeds.view());
  const std::string payload =
      nlohmann::json{{"v", 1}, {"key_id", key_id}, {"time_us", now_us}, {"wrapped", HexEncode(wrapped)}}.dump();
  URA_ASSIGN_OR_RETURN(Identity id, IdentityFromSeeds(seeds.view()));
  const journal::EntryInput entry{kEntryTypeIdentity, AsBytes(payload)};
  URA_RETURN_IF_ERROR(journal.Append({&entry, 1}).status());
  state.identity = std::move(id);
  return &*state.identity;
}

Result<std::string> EncodePartnerEntry(const ExchangeState& state, const Partner& partner) {
  URA_RETURN_IF_ERROR(CheckPartnerName(partner.name));
  if (state.partners.contains(partner.name)) {
    return AlreadyExists("a partner named '" + partner.name + "' exists already (see `ura partner list`)");
  }
  if (const Partner* same = state.FindBySigningKey(partner.keys.signing); same != nullptr) {
    return AlreadyExists("this key is registered already, as partner '" + same->name + "'");
  }
  if (state.identity && state.identity->bundle().signing == partner.keys.signing) {
    return InvalidArgument("this is this store's own exchange key, not a partner's");
  }
  return nlohmann::json{{"v", 1},
                        {"name", partner.name},
                        {"added_by", partner.added_by},
                        {"time_us", partner.time_us},
                        {"signing_key", HexEncode(partner.keys.signing)},
                        {"encryption_key", HexEncode(partner.keys.encryption)}}
      .dump();
}

Result<std::string> EncodePermitEntry(const ExchangeState& state, const Permit& permit) {
  if (!state.partners.contains(permit.to)) {
    return NotFound("no partner named '" + permit.to + "' (see `ura partner list`)");
  }
  if (permit.reference.size() < 3 || permit.reference.size() > 500) {
    return InvalidArgument("--reference must say in 3 to 500 characters where the originator gave permission");
  }
  if (permit.ids.empty()) return InvalidArgument("name the records with --ids");
  return nlohmann::json{{"v", 1},          {"ids", permit.ids}, {"to", permit.to}, {"reference", permit.reference},
                        {"by", permit.by}, {"time_us", permit.time_us}}
      .dump();
}

std::string EncodeReceipt(const Receipt& receipt, uint64_t entities, std::string_view handling) {
  return nlohmann::json{{"v", 1},
                        {"package", receipt.package},
                        {"partner", receipt.partner},
                        {"time_us", receipt.time_us},
                        {"entities", entities},
                        {"handling", handling}}
      .dump();
}

}  // namespace ura::exchange
