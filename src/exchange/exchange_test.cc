#include <gtest/gtest.h>
#include <zstd.h>

#include <cstring>
#include <set>

#include "exchange/hit_no_hit.h"
#include "exchange/match.h"
#include "exchange/package.h"
#include "exchange/partners.h"
#include "exchange/transfer.h"
#include "index/index_testing.h"
#include "journal/journal_reader.h"
#include "journal/journal_testing.h"
#include "text/fold.h"

namespace ura::exchange {
namespace {

using model::Classification;
using model::HandlingCode;

constexpr int64_t kNow = 1790000000000000;  // 2026-09-21
constexpr int64_t kDay = 24LL * 3600 * 1000000;

model::Entity Person(const std::string& id, const std::string& name, const std::string& birth,
                     const std::string& id_number, model::Marking marking = {}) {
  model::Entity e;
  e.id = id;
  e.schema = "Person";
  e.marking = std::move(marking);
  e.properties["name"].push_back({name, {"border", "row-" + id, 1700000000000000}});
  if (!birth.empty()) e.properties["birthDate"].push_back({birth, {"border", "row-" + id, 1700000000000000}});
  if (!id_number.empty()) e.properties["idNumber"].push_back({id_number, {"border", "row-" + id, 1700000000000000}});
  return e;
}

PackageBody Body(const Identity& from, const PublicBundle& to, std::vector<std::string> entities = {}) {
  PackageBody body;
  body.id = "00112233445566778899aabbccddeeff";
  body.sender = from.bundle();
  body.recipient = to;
  body.created_us = kNow;
  body.expires_us = kNow + 7 * kDay;
  body.handling = HandlingCode::kH2;
  body.purpose = "joint operation OC-2026-7";
  if (entities.empty()) entities.push_back(model::ToFtmJson(Person("p1", "Arben Coci", "1985-02-14", "J12345678A")));
  body.entities = std::move(entities);
  return body;
}

// Identities built from known seeds, so a state can hold the same keys.
Identity FromSeed(uint8_t fill) {
  Bytes seeds(64, fill);
  seeds[63] ^= 0x55;
  return IdentityFromSeeds(seeds).value();
}

class PackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    b_state_.identity = FromSeed(0xb0);
    b_state_.partners["force-a"] = Partner{"force-a", a_.bundle(), "cli:test", kNow};
  }
  const Identity& b() { return *b_state_.identity; }
  Identity a_ = FromSeed(0xa0);
  Identity c_ = FromSeed(0xc0);
  ExchangeState b_state_;
};

TEST(BundleTest, TokenRoundTripAndRefusals) {
  const Identity id = NewIdentity();
  const std::string token = EncodeBundle(id.bundle());
  EXPECT_TRUE(token.starts_with("ura-x1:"));
  EXPECT_EQ(token.size(), 7u + 136u);
  auto back = DecodeBundle(token + "\n");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, id.bundle());
  EXPECT_FALSE(DecodeBundle("ura-x2:" + token.substr(7)).ok());
  EXPECT_FALSE(DecodeBundle(token.substr(0, token.size() - 1)).ok());
  std::string typo = token;
  typo[20] = typo[20] == '0' ? '1' : '0';
  auto bad = DecodeBundle(typo);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("check digits"), std::string::npos);
}

TEST(PartnerTest, NamesAndDuplicates) {
  EXPECT_TRUE(CheckPartnerName("kosovo-police").ok());
  EXPECT_FALSE(CheckPartnerName("").ok());
  EXPECT_FALSE(CheckPartnerName("Kosovo").ok());
  EXPECT_FALSE(CheckPartnerName("9force").ok());
  EXPECT_FALSE(CheckPartnerName("a b").ok());
  ExchangeState state;
  state.identity = NewIdentity();
  const Identity other = NewIdentity();
  state.partners["one"] = Partner{"one", other.bundle(), "x", 1};
  EXPECT_EQ(EncodePartnerEntry(state, {"one", NewIdentity().bundle(), "x", 1}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(EncodePartnerEntry(state, {"two", other.bundle(), "x", 1}).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(EncodePartnerEntry(state, {"self", state.identity->bundle(), "x", 1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(EncodePartnerEntry(state, {"two", NewIdentity().bundle(), "x", 5}).ok());
}

TEST(PartnerTest, IdentityAndPartnersSurviveInTheJournal) {
  journal::testing::TempDir dir;
  const std::string store = dir.Sub("store");
  ASSERT_TRUE(journal::Journal::Create(store, journal::testing::TestSecret(), {}).ok());
  auto j = journal::Journal::OpenForWrite(store, journal::testing::TestSecret());
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  ExchangeState state;
  auto id = EnsureIdentity(state, **j, kNow);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const PublicBundle mine = (*id)->bundle();
  auto again = EnsureIdentity(state, **j, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);  // created once
  Partner p{"force-b", NewIdentity().bundle(), "cli:test", kNow};
  auto payload = EncodePartnerEntry(state, p);
  ASSERT_TRUE(payload.ok());
  const journal::EntryInput entry{kEntryTypePartner, AsBytes(*payload)};
  ASSERT_TRUE((*j)->Append({&entry, 1}).ok());
  const std::string receipt = EncodeReceipt({"abc", "force-b", kNow}, 3, "H2");
  const journal::EntryInput received{kEntryTypeReceived, AsBytes(receipt)};
  ASSERT_TRUE((*j)->Append({&received, 1}).ok());
  auto loaded = LoadExchangeState(DefaultFileSystem(), (*j)->paths(), (*j)->keyring());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->identity.has_value());
  EXPECT_EQ(loaded->identity->bundle(), mine);
  ASSERT_TRUE(loaded->partners.contains("force-b"));
  EXPECT_EQ(loaded->partners.at("force-b").keys, p.keys);
  EXPECT_TRUE(loaded->received.contains("abc"));
  // The seeds are wrapped: the identity entry's payload does not hold them in clear.
  bool saw_identity = false;
  ASSERT_TRUE(journal::ReadEntries(DefaultFileSystem(), (*j)->paths(), (*j)->keyring(), 0, 0,
                                   [&](const journal::DecodedEntry& e) {
                                     if (e.type != kEntryTypeIdentity) return Status::Ok();
                                     saw_identity = true;
                                     const std::string seed_hex = HexEncode(loaded->identity->signer->ExportSeed().view());
                                     EXPECT_EQ(AsString(e.payload).find(seed_hex), std::string::npos);
                                     return Status::Ok();
                                   })
                  .ok());
  EXPECT_TRUE(saw_identity);
}

TEST_F(PackageTest, SealOpenRoundTrip) {
  const PackageBody body = Body(a_, b().bundle());
  auto file = SealPackage(body, a_, b().bundle());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto opened = OpenPackage(*file, b());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->signer, a_.signer->public_key());
  EXPECT_EQ(opened->body.id, body.id);
  EXPECT_EQ(opened->body.entities, body.entities);
  EXPECT_EQ(opened->body.purpose, body.purpose);
  EXPECT_EQ(*EncodeBody(opened->body), opened->body_bytes);
  auto partner = CheckPackage(*opened, b_state_, kNow + kDay);
  ASSERT_TRUE(partner.ok()) << partner.status().ToString();
  EXPECT_EQ((*partner)->name, "force-a");
  // Encrypted: the entity's name is not in the file.
  EXPECT_EQ(std::string(AsString(*file)).find("Coci"), std::string::npos);
}

std::string Why(const Result<OpenedPackage>& r) { return r.ok() ? "accepted" : r.status().message(); }

TEST_F(PackageTest, EveryDamagedByteIsRefused) {
  auto file = SealPackage(Body(a_, b().bundle()), a_, b().bundle());
  ASSERT_TRUE(file.ok());
  for (size_t i = 0; i < file->size(); ++i) {
    Bytes bad = *file;
    bad[i] ^= 0x01;
    auto r = OpenPackage(bad, b());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    if (i < 8) EXPECT_NE(Why(r).find("malformed"), std::string::npos) << Why(r);
    else if (i < 16) EXPECT_NE(Why(r).find("wrong recipient"), std::string::npos) << Why(r);
    else EXPECT_NE(Why(r).find("tampered"), std::string::npos) << Why(r);
  }
  for (size_t n : {size_t{0}, size_t{15}, size_t{16}, size_t{40}, file->size() - 1}) {
    EXPECT_FALSE(OpenPackage(ByteView(file->data(), n), b()).ok()) << n;
  }
}

TEST_F(PackageTest, WrongRecipientUnknownSenderExpiredFutureReplay) {
  // Sealed for C: B cannot even open it.
  auto for_c = SealPackage(Body(a_, c_.bundle()), a_, c_.bundle());
  EXPECT_NE(Why(OpenPackage(*for_c, b())).find("wrong recipient"), std::string::npos);
  // Signed for C but sealed to B (re-addressed by someone who could read it): refused on the body.
  auto readdressed = SealPackage(Body(a_, c_.bundle()), a_, b().bundle());
  auto opened = OpenPackage(*readdressed, b());
  ASSERT_TRUE(opened.ok());
  EXPECT_NE(CheckPackage(*opened, b_state_, kNow).status().message().find("wrong recipient"), std::string::npos);
  // Signed by C, whom B does not know.
  auto from_c = SealPackage(Body(c_, b().bundle()), c_, b().bundle());
  auto opened_c = OpenPackage(*from_c, b());
  ASSERT_TRUE(opened_c.ok());
  auto unknown = CheckPackage(*opened_c, b_state_, kNow);
  EXPECT_EQ(unknown.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(unknown.status().message().find("unknown sender"), std::string::npos);
  // Freshness.
  auto good = OpenPackage(*SealPackage(Body(a_, b().bundle()), a_, b().bundle()), b());
  ASSERT_TRUE(good.ok());
  EXPECT_NE(CheckPackage(*good, b_state_, kNow + 8 * kDay).status().message().find("expired"), std::string::npos);
  EXPECT_NE(CheckPackage(*good, b_state_, kNow - kDay).status().message().find("future"), std::string::npos);
  EXPECT_TRUE(CheckPackage(*good, b_state_, kNow - kMaxClockSkewUs + 1).ok());
  // Replay.
  b_state_.received[good->body.id] = Receipt{good->body.id, "force-a", kNow};
  EXPECT_NE(CheckPackage(*good, b_state_, kNow).status().message().find("replay"), std::string::npos);
}

// A package whose signed content is built by hand (what an attacker controls after the box).
Bytes HandMade(const Identity& to, ByteView signed_content) {
  Bytes compressed(ZSTD_compressBound(signed_content.size()));
  compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), signed_content.data(), signed_content.size(), 1));
  Bytes file(AsBytes("URAXPKG1").begin(), AsBytes("URAXPKG1").end());
  AppendBytes(file, EncryptionKeyId(to.box.public_key));
  AppendBytes(file, crypto::SealToRecipient(to.box.public_key, compressed));
  return file;
}

TEST_F(PackageTest, AlteredBodyUnderTheOriginalSignatureIsRefused) {
  auto file = SealPackage(Body(a_, b().bundle()), a_, b().bundle());
  auto opened = OpenPackage(*file, b());
  ASSERT_TRUE(opened.ok());
  // Re-sealing is possible for anyone with B's public key; the signature is not.
  std::string body = opened->body_bytes;
  body.replace(body.find("Arben"), 5, "Besim");
  Bytes content(AsBytes("URAXSIG1").begin(), AsBytes("URAXSIG1").end());
  AppendBytes(content, a_.signer->public_key());
  const crypto::Signature sig = a_.signer->Sign(AsBytes(std::string("URA-EXCHANGE-PACKAGE-V1") + '\0' + opened->body_bytes));
  AppendBytes(content, sig);
  AppendBytes(content, AsBytes(body));
  EXPECT_NE(Why(OpenPackage(HandMade(b(), content), b())).find("signature does not verify"), std::string::npos);
  // The original bytes under the same signature pass (the hand-made framing is right).
  Bytes original(content.begin(), content.begin() + 104);
  AppendBytes(original, AsBytes(opened->body_bytes));
  EXPECT_TRUE(OpenPackage(HandMade(b(), original), b()).ok());
  // Not canonical (a space added) but validly signed: refused too.
  std::string spaced = opened->body_bytes;
  spaced.insert(1, " ");
  Bytes odd(AsBytes("URAXSIG1").begin(), AsBytes("URAXSIG1").end());
  AppendBytes(odd, a_.signer->public_key());
  AppendBytes(odd, a_.signer->Sign(AsBytes(std::string("URA-EXCHANGE-PACKAGE-V1") + '\0' + spaced)));
  AppendBytes(odd, AsBytes(spaced));
  EXPECT_NE(Why(OpenPackage(HandMade(b(), odd), b())).find("canonical"), std::string::npos);
}

TEST_F(PackageTest, DecompressionBombAndOversizeAreRefused) {
  Bytes zeros(kMaxBodyBytes + 4096, 0);
  std::memcpy(zeros.data(), "URAXSIG1", 8);
  const Bytes bomb = HandMade(b(), zeros);
  EXPECT_LT(bomb.size(), 1u << 20);
  EXPECT_NE(Why(OpenPackage(bomb, b())).find("decompression bomb"), std::string::npos);
  Bytes huge(kMaxPackageBytes + 1, 0);
  EXPECT_NE(Why(OpenPackage(huge, b())).find("oversized"), std::string::npos);
  // Garbage after the compressed frame.
  Bytes content(AsBytes("URAXSIG1").begin(), AsBytes("URAXSIG1").end());
  content.resize(200, 'x');
  Bytes compressed(ZSTD_compressBound(content.size()));
  compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), content.data(), content.size(), 1));
  compressed.push_back(0x42);
  Bytes file(AsBytes("URAXPKG1").begin(), AsBytes("URAXPKG1").end());
  AppendBytes(file, EncryptionKeyId(b().box.public_key));
  AppendBytes(file, crypto::SealToRecipient(b().box.public_key, compressed));
  EXPECT_FALSE(OpenPackage(file, b()).ok());
}

TEST(BodyTest, StrictDecoding) {
  const Identity a = NewIdentity(), b = NewIdentity();
  auto bytes = EncodeBody(Body(a, b.bundle()));
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(DecodeBody(*bytes).ok());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = *bytes;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    return DecodeBody(s);
  };
  EXPECT_FALSE(with("\"v\":1", "\"v\":2").ok());
  EXPECT_FALSE(with("\"handling\":\"H2\"", "\"handling\":\"H7\"").ok());
  EXPECT_FALSE(with("\"provenance\":\"none\"", "\"provenance\":\"all\"").ok());
  EXPECT_FALSE(with("\"id\":\"00112233", "\"id\":\"X0112233").ok());
  EXPECT_FALSE(with("\"entities\":[", "\"entities\":[1,").ok());
  EXPECT_FALSE(with("\"v\":1", "\"v\":1,\"w\":1").ok());
  EXPECT_FALSE(DecodeBody("[]").ok());
  EXPECT_FALSE(DecodeBody("{").ok());
}

// Export and import through the access rules, over a scratch index.
class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_state_.identity = FromSeed(0xa0);
    b_state_.identity = FromSeed(0xb0);
    a_state_.partners["force-b"] = Partner{"force-b", b_state_.identity->bundle(), "t", kNow};
    b_state_.partners["force-a"] = Partner{"force-a", a_state_.identity->bundle(), "t", kNow};
    a_.Add(Person("open", "Arben Coci", "1985-02-14", "J12345678A"));
    a_.Add(Person("h1", "Besnik Hoxha", "1979-11-02", "", {HandlingCode::kH1, Classification::kRestricted}));
    a_.Add(Person("h2", "Arben Coci", "1990-01-01", "", {HandlingCode::kH2, Classification::kRestricted}));
    a_.Add(Person("secret", "Arben Coci", "1991-01-01", "", {HandlingCode::kH0, Classification::kSecret}));
    model::Entity family;
    family.id = "fam-1";
    family.schema = "Family";
    family.properties["person"].push_back({"open", {"cases", "c1", 1}});
    family.properties["relative"].push_back({"h2", {"cases", "c1", 1}});
    a_.Add(family);
    liaison_.name = "lena";
    liaison_.role = access::Role::kLiaison;
    liaison_.clearance = Classification::kConfidential;
  }
  access::Principal Liaison() { return {"lena", &liaison_}; }
  Result<ExportResult> Send(std::vector<std::string> ids, HandlingCode h = HandlingCode::kH2,
                            ProvenanceLevel p = ProvenanceLevel::kNone) {
    ExportRequest r;
    r.partner = "force-b";
    r.ids = std::move(ids);
    r.handling = h;
    r.purpose = "joint operation";
    r.provenance = p;
    return Export(*a_, Liaison(), a_state_, r, kNow);
  }
  Result<ImportPlan> Receive(ByteView file, std::vector<std::string> cases = {}) {
    return PrepareImport(file, *b_, access::Principal{"cli:b", nullptr}, b_state_, cases,
                         model::SchemaRegistry::Builtin(), kNow + 1000);
  }
  index::testing::ScratchIndex a_, b_;
  ExchangeState a_state_, b_state_;
  access::User liaison_;
};

TEST_F(TransferTest, OnlyDisclosableEntitiesLeave) {
  EXPECT_EQ(Send({"h2"}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Send({"secret"}).status().code(), StatusCode::kNotFound);  // hidden = missing
  EXPECT_EQ(Send({"nobody"}).status().code(), StatusCode::kNotFound);
  access::User investigator = liaison_;
  investigator.role = access::Role::kInvestigator;
  ExportRequest r;
  r.partner = "force-b";
  r.ids = {"open"};
  r.purpose = "joint operation";
  EXPECT_EQ(Export(*a_, {"ivan", &investigator}, a_state_, r, kNow).status().code(), StatusCode::kPermissionDenied);
  r.partner = "nobody";
  EXPECT_EQ(Export(*a_, Liaison(), a_state_, r, kNow).status().code(), StatusCode::kNotFound);
  // A query: the H2 and secret namesakes are left out (the secret one without being counted).
  r.partner = "force-b";
  r.ids.clear();
  r.query = "Arben Coci";
  auto sent = Export(*a_, Liaison(), a_state_, r, kNow);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->ids, std::vector<std::string>({"open"}));
  EXPECT_EQ(sent->withheld, 1u);
  EXPECT_EQ(sent->record.action, "disclose");
  EXPECT_EQ(sent->record.objects, std::vector<std::string>({"open"}));
  EXPECT_NE(sent->record.detail.find("force-b"), std::string::npos);
}

TEST_F(TransferTest, ProvenanceHandlingAndReferencesOnTheWayOut) {
  auto sent = Send({"open", "fam-1"}, HandlingCode::kH1, ProvenanceLevel::kNone);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_EQ(sent->body.entities.size(), 2u);
  for (const std::string& line : sent->body.entities) {
    EXPECT_EQ(line.find("border"), std::string::npos) << line;
    EXPECT_EQ(line.find("row-open"), std::string::npos) << line;
    EXPECT_EQ(line.find("\"h2\""), std::string::npos) << line;  // the reference to an entity not sent
  }
  auto full = Send({"open"}, HandlingCode::kH0, ProvenanceLevel::kFull);
  ASSERT_TRUE(full.ok());
  EXPECT_NE(full->body.entities[0].find("row-open"), std::string::npos);
  auto source = Send({"open"}, HandlingCode::kH0, ProvenanceLevel::kSource);
  ASSERT_TRUE(source.ok());
  EXPECT_NE(source->body.entities[0].find("border"), std::string::npos);
  EXPECT_EQ(source->body.entities[0].find("row-open"), std::string::npos);
}

TEST_F(TransferTest, ImportMarksNamespacesAndBlocksOnwardExport) {
  auto sent = Send({"open", "h1", "fam-1"}, HandlingCode::kH2);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  auto plan = Receive(sent->package);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->versions.size(), 3u);
  std::set<std::string> ids;
  for (const model::Entity& e : plan->versions) {
    ids.insert(e.id);
    EXPECT_EQ(e.marking.handling, HandlingCode::kH2);
    for (const auto& [property, values] : e.properties) {
      for (const auto& v : values) EXPECT_EQ(v.provenance.source, "partner:force-a");
    }
    if (e.id == "force-a:h1") {
      EXPECT_EQ(e.marking.reliability, 'X');
    }
    if (e.id == "force-a:fam-1") {
      EXPECT_EQ(e.Values("person"), std::vector<std::string>({"force-a:open"}));
      EXPECT_TRUE(e.Values("relative").empty());
    }
    // H2: a liaison officer of B may see it but not disclose it onward.
    access::User b_liaison = liaison_;
    EXPECT_TRUE(access::MaySee({"x", &b_liaison}, e.marking));
    EXPECT_FALSE(access::MayDisclose({"x", &b_liaison}, e.marking));
  }
  EXPECT_EQ(ids, std::set<std::string>({"force-a:open", "force-a:h1", "force-a:fam-1"}));
  EXPECT_EQ(plan->record.action, "exchange-import");
  EXPECT_NE(plan->receipt.find(sent->body.id), std::string::npos);
  // Provenance at the "full" level travels as the sender's source/record in the record key.
  auto full = Send({"open"}, HandlingCode::kH0, ProvenanceLevel::kFull);
  ASSERT_TRUE(full.ok());
  auto full_plan = Receive(full->package);
  ASSERT_TRUE(full_plan.ok()) << full_plan.status().ToString();
  EXPECT_EQ(full_plan->versions[0].properties.at("name")[0].provenance.record_key, "border/row-open");
  // A package naming one entity twice is refused.
  PackageBody twice = Body(a_state_.identity.value(), b_state_.identity->bundle());
  twice.id = "ffeeddccbbaa99887766554433221100";
  twice.entities.push_back(twice.entities[0]);
  auto sealed = SealPackage(twice, *a_state_.identity, b_state_.identity->bundle());
  ASSERT_TRUE(sealed.ok());
  auto dup = Receive(*sealed);
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dup.status().message().find("twice"), std::string::npos);
  // H3 needs a case.
  auto h3 = Send({"open"}, HandlingCode::kH3);
  ASSERT_TRUE(h3.ok());
  EXPECT_EQ(Receive(h3->package).status().code(), StatusCode::kFailedPrecondition);
  auto with_case = Receive(h3->package, {"OC-2026-7"});
  ASSERT_TRUE(with_case.ok()) << with_case.status().ToString();
  EXPECT_EQ(with_case->versions[0].marking.cases, std::vector<std::string>({"OC-2026-7"}));
  // Only liaison officers (and the custodian) receive.
  access::User analyst = liaison_;
  analyst.role = access::Role::kAnalyst;
  EXPECT_EQ(PrepareImport(sent->package, *b_, {"ana", &analyst}, b_state_, {}, model::SchemaRegistry::Builtin(), kNow)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

TEST_F(TransferTest, H2LeavesOnlyWithTheOriginatorsPermissionForThatPartner) {
  a_state_.partners["force-c"] = Partner{"force-c", NewIdentity().bundle(), "t", kNow};
  a_.Add(Person("h3", "Besim Hoxha", "1970-01-01", "", {HandlingCode::kH3, Classification::kRestricted, 'X', 4,
                                                        {"OC-2026-7"}}));
  liaison_.cases = {"OC-2026-7"};
  EXPECT_EQ(Send({"h2"}).status().code(), StatusCode::kPermissionDenied);
  Permit permit{{"h2"}, "force-b", "SIENA 2026/0042", "lena", kNow};
  auto plan = PreparePermit(*a_, Liaison(), a_state_, permit);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->record.action, "exchange-permit");
  EXPECT_EQ(plan->record.objects, std::vector<std::string>({"h2"}));
  // Applied as replay applies it.
  journal::testing::TempDir dir;
  const std::string store = dir.Sub("s");
  ASSERT_TRUE(journal::Journal::Create(store, journal::testing::TestSecret(), {}).ok());
  auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(store), journal::testing::TestSecret());
  ASSERT_TRUE(keyring.ok());
  ASSERT_TRUE(ApplyEntry(a_state_, **keyring, kEntryTypePermit, plan->payload).ok());
  auto sent = Send({"h2"});
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_NE(sent->record.detail.find("SIENA 2026/0042"), std::string::npos);
  // Only to that partner.
  ExportRequest to_c;
  to_c.partner = "force-c";
  to_c.ids = {"h2"};
  to_c.purpose = "joint operation";
  EXPECT_EQ(Export(*a_, Liaison(), a_state_, to_c, kNow).status().code(), StatusCode::kPermissionDenied);
  // H3 never; H0/H1 need none; a missing id, an unknown partner, a short reference, a wrong role.
  permit.ids = {"h3"};
  EXPECT_EQ(PreparePermit(*a_, Liaison(), a_state_, permit).status().code(), StatusCode::kFailedPrecondition);
  permit.ids = {"h1"};
  EXPECT_EQ(PreparePermit(*a_, Liaison(), a_state_, permit).status().code(), StatusCode::kInvalidArgument);
  permit.ids = {"nobody"};
  EXPECT_EQ(PreparePermit(*a_, Liaison(), a_state_, permit).status().code(), StatusCode::kNotFound);
  permit.ids = {"h2"};
  permit.to = "nobody";
  EXPECT_EQ(PreparePermit(*a_, Liaison(), a_state_, permit).status().code(), StatusCode::kNotFound);
  permit.to = "force-b";
  permit.reference = "x";
  EXPECT_EQ(PreparePermit(*a_, Liaison(), a_state_, permit).status().code(), StatusCode::kInvalidArgument);
  permit.reference = "SIENA 2026/0042";
  access::User investigator = liaison_;
  investigator.role = access::Role::kInvestigator;
  EXPECT_EQ(PreparePermit(*a_, {"ivan", &investigator}, a_state_, permit).status().code(),
            StatusCode::kPermissionDenied);
  // A permission does not lift clearance: a secret H2 record stays hidden from Lena.
  a_.Add(Person("h2-secret", "Arben Coci", "1989-01-01", "", {HandlingCode::kH2, Classification::kSecret}));
  a_state_.permits[{"h2-secret", "force-b"}] = "SIENA 2026/0043";
  EXPECT_EQ(Send({"h2-secret"}).status().code(), StatusCode::kNotFound);
}

TEST_F(TransferTest, HitNoHitThroughTheAccessRules) {
  // A's filter holds what Lena may disclose: not the H2 or the secret namesake.
  auto made = MakeMatchFilter(*a_, Liaison(), a_state_, "force-b", kNow);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->persons, 2u);  // open, h1
  EXPECT_EQ(made->record.action, "match-filter");
  EXPECT_EQ(made->record.objects, std::vector<std::string>({"h1", "open"}));
  access::User investigator = liaison_;
  investigator.role = access::Role::kInvestigator;
  EXPECT_EQ(MakeMatchFilter(*a_, {"ivan", &investigator}, a_state_, "force-b", kNow).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(MakeMatchFilter(*a_, Liaison(), a_state_, "nobody", kNow).status().code(), StatusCode::kNotFound);
  // B knows the open person under another spelling and the H2 one: only the first is a hit.
  b_.Add(Person("b-open", "Çoci Arben", "1985-02-14", ""));
  b_.Add(Person("b-h2", "Arben Coci", "1990-01-01", "Z99999999Z"));
  b_.Add(Person("b-none", "Ilir Kola", "1980-05-05", "N33333333E"));
  const access::Principal custodian{"cli:b", nullptr};
  auto matched = RunMatchFilter(made->filter, *b_, custodian, b_state_);
  ASSERT_TRUE(matched.ok()) << matched.status().ToString();
  ASSERT_EQ(matched->hits.size(), 1u);
  EXPECT_EQ(matched->hits[0].id, "b-open");
  EXPECT_EQ(matched->hits[0].matched, std::vector<std::string>({"name+birth date", "name sound+birth date"}));
  EXPECT_EQ(matched->persons, 3u);
  EXPECT_EQ(matched->record.objects, std::vector<std::string>({"b-open"}));
  EXPECT_EQ(RunMatchFilter(made->filter, *b_, {"ivan", &investigator}, b_state_).status().code(),
            StatusCode::kPermissionDenied);
  // A does not know itself as a partner: its own filter is from an unknown sender there.
  EXPECT_EQ(RunMatchFilter(made->filter, *a_, custodian, a_state_).status().code(), StatusCode::kFailedPrecondition);
}

TEST(MatchTest, KeysOfAPerson) {
  const auto& registry = model::SchemaRegistry::Builtin();
  model::Entity p = Person("p", "Çoci Arben", "1985-02-14", "J12345678A");
  p.properties["birthDate"].push_back({"1985", {"x", "y", 1}});  // partial dates make no key
  // The sound key: each folded token's skeleton (text::Skeleton), sorted.
  std::vector<std::string> sounds = {text::Skeleton("arben"), text::Skeleton("coci")};
  std::sort(sounds.begin(), sounds.end());
  const std::string sound = "p:" + sounds[0] + " " + sounds[1] + "|1985-02-14";
  EXPECT_EQ(MatchKeys(p, registry), std::vector<std::string>({"i:J12345678A", "n:arben coci|1985-02-14", sound}));
  model::Entity swapped = Person("q", "Arben Coci", "1985-02-14", "");
  EXPECT_EQ(MatchKeys(swapped, registry), std::vector<std::string>({"n:arben coci|1985-02-14", sound}));
  // Spellings that fold apart but sound alike share the sound key only.
  model::Entity srdjan = Person("s1", "Srdjan Milosevic", "1993-02-22", "");
  model::Entity srdan = Person("s2", "SRĐAN MILOŠEVIĆ", "1993-02-22", "");
  std::vector<std::string> common;
  const auto k1 = MatchKeys(srdjan, registry), k2 = MatchKeys(srdan, registry);
  std::set_intersection(k1.begin(), k1.end(), k2.begin(), k2.end(), std::back_inserter(common));
  ASSERT_EQ(common.size(), 1u);
  EXPECT_TRUE(common[0].starts_with("p:"));
  // No full birth date, no name key.
  EXPECT_TRUE(MatchKeys(Person("t", "Arben Coci", "", ""), registry).empty());
  model::Entity company;
  company.schema = "Company";
  company.properties["name"].push_back({"Arben Coci Shpk", {"x", "y", 1}});
  EXPECT_TRUE(MatchKeys(company, registry).empty());
}

TEST(MatchTest, PairwiseKeysAgreeAndDifferPerPair) {
  const Identity a = NewIdentity(), b = NewIdentity(), c = NewIdentity();
  const Bytes nonce(16, 7);
  auto ab = PairwiseKey(a, b.bundle(), nonce), ba = PairwiseKey(b, a.bundle(), nonce);
  auto ac = PairwiseKey(a, c.bundle(), nonce);
  ASSERT_TRUE(ab.ok() && ba.ok() && ac.ok());
  EXPECT_EQ(HexEncode(ab->view()), HexEncode(ba->view()));
  EXPECT_NE(HexEncode(ab->view()), HexEncode(ac->view()));
  auto other_nonce = PairwiseKey(a, b.bundle(), Bytes(16, 8));
  EXPECT_NE(HexEncode(ab->view()), HexEncode(other_nonce->view()));
}

TEST(MatchTest, FilterHitsOnlyTheSharedKeysAndOnlyForItsRecipient) {
  const Identity a = NewIdentity(), b = NewIdentity(), c = NewIdentity();
  std::vector<std::string> a_keys;
  for (int i = 0; i < 3000; ++i) a_keys.push_back("i:ID" + std::to_string(100000 + i));
  auto file = BuildFilter(a_keys, a, b.bundle(), kNow);
  ASSERT_TRUE(file.ok());
  auto filter = DecodeFilter(*file);
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->tags.size() % kFilterPadding, 0u);
  EXPECT_GE(filter->tags.size(), a_keys.size());
  auto matcher = FilterMatcher::Create(*filter, b);
  ASSERT_TRUE(matcher.ok());
  size_t hits = 0, false_hits = 0;
  for (int i = 0; i < 6000; ++i) {
    const bool hit = matcher->Hit({"i:ID" + std::to_string(97000 + i)});
    const bool shared = 97000 + i >= 100000 && 97000 + i < 103000;
    hits += hit && shared;
    false_hits += hit && !shared;
  }
  EXPECT_EQ(hits, 3000u);
  EXPECT_EQ(false_hits, 0u);
  // Another store cannot use it; and A's filter for C shares no tag with the one for B.
  EXPECT_EQ(FilterMatcher::Create(*filter, c).status().code(), StatusCode::kFailedPrecondition);
  auto for_c = DecodeFilter(*BuildFilter(a_keys, a, c.bundle(), kNow));
  ASSERT_TRUE(for_c.ok());
  std::vector<uint64_t> common;
  std::set_intersection(filter->tags.begin(), filter->tags.end(), for_c->tags.begin(), for_c->tags.end(),
                        std::back_inserter(common));
  EXPECT_TRUE(common.empty());
  // Any changed byte breaks the signature or the format.
  for (size_t i : {size_t{0}, size_t{10}, size_t{80}, size_t{140}, size_t{160}, size_t{200}, file->size() - 1}) {
    Bytes bad = *file;
    bad[i] ^= 0x20;
    EXPECT_FALSE(DecodeFilter(bad).ok()) << i;
  }
  EXPECT_FALSE(DecodeFilter(ByteView(file->data(), file->size() - 8)).ok());
}

}  // namespace
}  // namespace ura::exchange
