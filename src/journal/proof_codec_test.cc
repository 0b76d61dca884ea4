// Proof documents: exact output, round trips, and one test per kind of malformed input. The
// proofs used are the Certificate Transparency reference vectors (see merkle_test.cc):
// leaf 5 of the 8-leaf tree and the 6 -> 8 consistency proof.
#include "journal/proof_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "journal/merkle.h"

namespace ura::journal {
namespace {

using Json = nlohmann::json;

Hash256 H(std::string_view hex) {
  Hash256 hash{};
  Result<Bytes> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok() && bytes->size() == 32) << hex;
  if (bytes.ok() && bytes->size() == 32) std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

constexpr std::string_view kRoot6 =
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef";
constexpr std::string_view kRoot8 =
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
constexpr std::string_view kLeaf5 =
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658";
constexpr std::string_view kNodeA =
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
constexpr std::string_view kNodeB =
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
constexpr std::string_view kNodeC =
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7";
constexpr std::string_view kNodeD =
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";

InclusionProofDoc SampleInclusion() {
  InclusionProofDoc doc;
  doc.store_id = "store-1";
  doc.leaf_index = 5;
  doc.tree_size = 8;
  doc.leaf_hash = H(kLeaf5);
  doc.root_hash = H(kRoot8);
  doc.audit_path = {H(kNodeA), H(kNodeB), H(kNodeC)};
  return doc;
}

ConsistencyProofDoc SampleConsistency() {
  ConsistencyProofDoc doc;
  doc.store_id = "store-1";
  doc.old_size = 6;
  doc.new_size = 8;
  doc.old_root = H(kRoot6);
  doc.new_root = H(kRoot8);
  doc.proof = {H(kNodeD), H(kNodeB), H(kNodeC)};
  return doc;
}

std::string Q(std::string_view hex) { return "\"" + std::string(hex) + "\""; }

// ---- Output and round trips -----------------------------------------------------------

TEST(ProofCodecTest, InclusionExactJson) {
  const std::string expected =
      "{\"type\":\"inclusion\",\"store_id\":\"store-1\",\"leaf_index\":5,"
      "\"tree_size\":8,\"leaf_hash\":" +
      Q(kLeaf5) + ",\"root_hash\":" + Q(kRoot8) + ",\"audit_path\":[" + Q(kNodeA) + "," +
      Q(kNodeB) + "," + Q(kNodeC) + "]}";
  EXPECT_EQ(ToJson(SampleInclusion()), expected);
}

TEST(ProofCodecTest, ConsistencyExactJson) {
  const std::string expected =
      "{\"type\":\"consistency\",\"store_id\":\"store-1\",\"old_size\":6,"
      "\"new_size\":8,\"old_root\":" +
      Q(kRoot6) + ",\"new_root\":" + Q(kRoot8) + ",\"proof\":[" + Q(kNodeD) + "," + Q(kNodeB) +
      "," + Q(kNodeC) + "]}";
  EXPECT_EQ(ToJson(SampleConsistency()), expected);
}

TEST(ProofCodecTest, RoundTripsAndStillVerifies) {
  Result<InclusionProofDoc> inclusion = ParseInclusionProof(ToJson(SampleInclusion()));
  ASSERT_TRUE(inclusion.ok()) << inclusion.status().ToString();
  EXPECT_EQ(*inclusion, SampleInclusion());
  Status status = VerifyInclusion(inclusion->leaf_hash, inclusion->leaf_index, inclusion->tree_size,
                                  inclusion->audit_path, inclusion->root_hash);
  EXPECT_TRUE(status.ok()) << status.ToString();

  Result<ConsistencyProofDoc> consistency = ParseConsistencyProof(ToJson(SampleConsistency()));
  ASSERT_TRUE(consistency.ok()) << consistency.status().ToString();
  EXPECT_EQ(*consistency, SampleConsistency());
  status = VerifyConsistency(consistency->old_size, consistency->new_size, consistency->old_root,
                             consistency->new_root, consistency->proof);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(ProofCodecTest, RoundTripsEdgeValues) {
  InclusionProofDoc inclusion = SampleInclusion();
  static constexpr char kAwkward[] = "quote\" backslash\\ nul\0 tab\t \xc3\xa9";  // é
  inclusion.store_id = std::string(kAwkward, sizeof kAwkward - 1);
  ASSERT_EQ(inclusion.store_id.size(), 30u);
  inclusion.leaf_index = UINT64_MAX;
  inclusion.tree_size = 0;
  inclusion.audit_path.assign(kMaxProofNodes, H(kNodeA));
  Result<InclusionProofDoc> parsed = ParseInclusionProof(ToJson(inclusion));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, inclusion);

  ConsistencyProofDoc consistency = SampleConsistency();
  consistency.store_id = "";
  consistency.old_size = 0;
  consistency.new_size = UINT64_MAX;
  consistency.proof.clear();
  Result<ConsistencyProofDoc> parsed_consistency = ParseConsistencyProof(ToJson(consistency));
  ASSERT_TRUE(parsed_consistency.ok()) << parsed_consistency.status().ToString();
  EXPECT_EQ(*parsed_consistency, consistency);
}

TEST(ProofCodecTest, AcceptsUpperCaseHexAndAnyFieldOrderAndWhitespace) {
  std::string upper(kRoot8);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string json = " {\n \"audit_path\" : [ ], \"root_hash\":\"" + upper +
                           "\", \"leaf_hash\":\"" + upper +
                           "\",\"tree_size\":1,\"leaf_index\":0,\"store_id\":\"s\","
                           "\"type\":\"inclusion\"}\n";
  Result<InclusionProofDoc> doc = ParseInclusionProof(json);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->root_hash, H(kRoot8));
  EXPECT_NE(ToJson(*doc).find(std::string(kRoot8)), std::string::npos);  // written lower case
}

TEST(ProofCodecTest, InvalidUtf8StoreIdIsReplacedNotThrown) {
  InclusionProofDoc doc = SampleInclusion();
  doc.store_id = "bad\xff\xfe";
  std::string json = ToJson(doc);
  Result<InclusionProofDoc> parsed = ParseInclusionProof(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->store_id, "bad\xef\xbf\xbd\xef\xbf\xbd");  // two U+FFFD
}

// ---- Malformed input: each is refused with kInvalidArgument naming what is wrong --------

// Parses `json` as an inclusion proof and expects kInvalidArgument with `needle` in the message.
void ExpectInclusionError(const std::string& json, std::string_view needle) {
  Result<InclusionProofDoc> doc = ParseInclusionProof(json);
  ASSERT_FALSE(doc.ok()) << json;
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << json;
  EXPECT_NE(doc.status().message().find(needle), std::string::npos)
      << "message: " << doc.status().message() << "\ninput: " << json;
}

void ExpectConsistencyError(const std::string& json, std::string_view needle) {
  Result<ConsistencyProofDoc> doc = ParseConsistencyProof(json);
  ASSERT_FALSE(doc.ok()) << json;
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << json;
  EXPECT_NE(doc.status().message().find(needle), std::string::npos)
      << "message: " << doc.status().message() << "\ninput: " << json;
}

Json InclusionJson() { return Json::parse(ToJson(SampleInclusion())); }
Json ConsistencyJson() { return Json::parse(ToJson(SampleConsistency())); }

TEST(ProofCodecTest, RejectsNonJsonAndTruncation) {
  ExpectInclusionError("", "not valid JSON");
  ExpectInclusionError("{", "not valid JSON");
  ExpectInclusionError("nul", "not valid JSON");
  ExpectInclusionError("{\"type\":\"inclusion\"} trailing", "not valid JSON");
  const std::string full = ToJson(SampleInclusion());
  for (size_t length = 0; length < full.size(); ++length) {
    ExpectInclusionError(full.substr(0, length), "inclusion proof");
  }
  ExpectInclusionError(std::string("{\"type\":\"incl\xff\"}"), "not valid JSON");  // not UTF-8
  ExpectInclusionError(std::string("{\"type\":\0}", 10), "not valid JSON");
}

TEST(ProofCodecTest, RejectsNonObjects) {
  ExpectInclusionError("[]", "must be a JSON object, got an array");
  ExpectInclusionError("\"inclusion\"", "must be a JSON object, got a string");
  ExpectInclusionError("5", "must be a JSON object, got an integer");
  ExpectInclusionError("null", "must be a JSON object, got null");
  ExpectConsistencyError("[" + ToJson(SampleConsistency()) + "]", "must be a JSON object");
}

TEST(ProofCodecTest, RejectsWrongOrMissingType) {
  ExpectInclusionError(ToJson(SampleConsistency()),
                       "field \"type\" must be \"inclusion\", got \"consistency\"");
  ExpectConsistencyError(ToJson(SampleInclusion()),
                         "field \"type\" must be \"consistency\", got \"inclusion\"");
  Json doc = InclusionJson();
  doc["type"] = "Inclusion";
  ExpectInclusionError(doc.dump(), "field \"type\" must be \"inclusion\"");
  doc["type"] = 1;
  ExpectInclusionError(doc.dump(), "field \"type\" must be a string, got an integer");
  doc.erase("type");
  ExpectInclusionError(doc.dump(), "field \"type\" is missing");
}

TEST(ProofCodecTest, RejectsEachMissingField) {
  for (const char* field :
       {"store_id", "leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path"}) {
    Json doc = InclusionJson();
    doc.erase(field);
    ExpectInclusionError(doc.dump(), "field \"" + std::string(field) + "\" is missing");
  }
  for (const char* field : {"store_id", "old_size", "new_size", "old_root", "new_root", "proof"}) {
    Json doc = ConsistencyJson();
    doc.erase(field);
    ExpectConsistencyError(doc.dump(), "field \"" + std::string(field) + "\" is missing");
  }
}

TEST(ProofCodecTest, RejectsUnknownAndDuplicateFields) {
  Json doc = InclusionJson();
  doc["note"] = "hello";
  ExpectInclusionError(doc.dump(), "unexpected field \"note\"");
  // The other kind's fields are unknown here.
  doc = ConsistencyJson();
  doc["leaf_index"] = 1;
  ExpectConsistencyError(doc.dump(), "unexpected field \"leaf_index\"");
  // A duplicated key could be read as two different proofs by two parsers.
  std::string json = ToJson(SampleInclusion());
  json.insert(1, "\"tree_size\":9,");
  ExpectInclusionError(json, "field \"tree_size\" appears more than once");
}

TEST(ProofCodecTest, RejectsBadNumbers) {
  struct Case {
    const char* literal;
    const char* described;
  };
  for (const Case& c : {Case{"-1", "a negative number"}, Case{"-0", "a signed zero"},
                        Case{"1.5", "a fraction"}, Case{"1.0", "a fraction"},
                        Case{"1e3", "a fraction"}, Case{"18446744073709551616", "above 2^64-1"},
                        Case{"99999999999999999999999999", "above 2^64-1"},
                        Case{"\"5\"", "a string"}, Case{"true", "a boolean"}, Case{"null", "null"},
                        Case{"[5]", "an array"}, Case{"{}", "an object"}}) {
    for (const char* field : {"leaf_index", "tree_size"}) {
      Json doc = InclusionJson();
      std::string json = doc.dump();
      const std::string key = "\"" + std::string(field) + "\":";
      const size_t at = json.find(key) + key.size();
      json.replace(at, json.find(',', at) - at, c.literal);
      ExpectInclusionError(json, "field \"" + std::string(field) + "\" must be an integer");
      ExpectInclusionError(json, c.described);
    }
    for (const char* field : {"old_size", "new_size"}) {
      std::string json = ConsistencyJson().dump();
      const std::string key = "\"" + std::string(field) + "\":";
      const size_t at = json.find(key) + key.size();
      json.replace(at, json.find(',', at) - at, c.literal);
      ExpectConsistencyError(json, "field \"" + std::string(field) + "\" must be an integer");
    }
  }
  Json doc = InclusionJson();
  doc["tree_size"] = UINT64_MAX;
  EXPECT_TRUE(ParseInclusionProof(doc.dump()).ok());
}

TEST(ProofCodecTest, RejectsBadStoreId) {
  Json doc = InclusionJson();
  doc["store_id"] = 7;
  ExpectInclusionError(doc.dump(), "field \"store_id\" must be a string, got an integer");
  doc["store_id"] = nullptr;
  ExpectInclusionError(doc.dump(), "field \"store_id\" must be a string, got null");
}

TEST(ProofCodecTest, RejectsBadHashes) {
  const std::string good(kRoot8);
  struct Case {
    Json value;
    const char* problem;
  };
  const std::vector<Case> cases = {
      {good.substr(0, 63), "must be 64 hex digits, got 63 characters"},
      {good + "0", "must be 64 hex digits, got 65 characters"},
      {good + "00", "must be 64 hex digits, got 66 characters"},
      {"", "must be 64 hex digits, got 0 characters"},
      {"zz" + good.substr(2), "is not hex: invalid hex character at position 0"},
      {good.substr(0, 63) + "g", "is not hex: invalid hex character at position 63"},
      {good.substr(0, 62) + " 0", "is not hex"},
      {"0x" + good.substr(2), "is not hex"},
      {5, "must be a string of 64 hex digits, got an integer"},
      {Json::array({good}), "must be a string of 64 hex digits, got an array"},
  };
  for (const Case& c : cases) {
    for (const char* field : {"leaf_hash", "root_hash"}) {
      Json doc = InclusionJson();
      doc[field] = c.value;
      ExpectInclusionError(doc.dump(), "field \"" + std::string(field) + "\" " + c.problem);
    }
    for (const char* field : {"old_root", "new_root"}) {
      Json doc = ConsistencyJson();
      doc[field] = c.value;
      ExpectConsistencyError(doc.dump(), "field \"" + std::string(field) + "\" " + c.problem);
    }
    Json doc = InclusionJson();
    doc["audit_path"][1] = c.value;
    ExpectInclusionError(doc.dump(), "field \"audit_path[1]\" " + std::string(c.problem));
    doc = ConsistencyJson();
    doc["proof"][2] = c.value;
    ExpectConsistencyError(doc.dump(), "field \"proof[2]\" " + std::string(c.problem));
  }
}

TEST(ProofCodecTest, RejectsBadNodeLists) {
  Json doc = InclusionJson();
  doc["audit_path"] = std::string(kNodeA);
  ExpectInclusionError(doc.dump(), "field \"audit_path\" must be an array of hashes, got a string");
  doc["audit_path"] = Json::object();
  ExpectInclusionError(doc.dump(),
                       "field \"audit_path\" must be an array of hashes, got an object");
  doc["audit_path"] = Json::array({std::string(kNodeA), nullptr});
  ExpectInclusionError(doc.dump(), "field \"audit_path[1]\" must be a string");

  // 64 nodes (a tree of 2^64 leaves) is the most any proof needs.
  doc["audit_path"] = Json(std::vector<std::string>(kMaxProofNodes, std::string(kNodeA)));
  EXPECT_TRUE(ParseInclusionProof(doc.dump()).ok());
  doc["audit_path"] = Json(std::vector<std::string>(kMaxProofNodes + 1, std::string(kNodeA)));
  ExpectInclusionError(doc.dump(), "field \"audit_path\" has 65 nodes, more than 64");

  Json consistency = ConsistencyJson();
  consistency["proof"] = Json(std::vector<std::string>(kMaxProofNodes + 1, std::string(kNodeA)));
  ExpectConsistencyError(consistency.dump(), "field \"proof\" has 65 nodes, more than 64");
  consistency["proof"] = 3;
  ExpectConsistencyError(consistency.dump(), "field \"proof\" must be an array of hashes");
}

TEST(ProofCodecTest, RejectsOversizedInput) {
  Json doc = InclusionJson();
  doc["store_id"] = std::string(kMaxProofJsonBytes, 'x');
  ExpectInclusionError(doc.dump(), "more than the limit of 65536");
}

TEST(ProofCodecTest, ErrorMessagesAreAsciiEvenForHostileInput) {
  Json doc = InclusionJson();
  doc[std::string("\xe2\x98\x83\n") + std::string(100, 'k')] = 1;  // snowman, newline, long
  Result<InclusionProofDoc> parsed = ParseInclusionProof(doc.dump());
  ASSERT_FALSE(parsed.ok());
  for (char c : parsed.status().message()) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << "byte " << int(static_cast<unsigned char>(c));
  }
  parsed = ParseInclusionProof(std::string("{\"type\":\x01\xff}"));
  ASSERT_FALSE(parsed.ok());
  for (char c : parsed.status().message()) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << "byte " << int(static_cast<unsigned char>(c));
  }
}

}  // namespace
}  // namespace ura::journal
