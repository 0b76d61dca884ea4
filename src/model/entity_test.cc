#include "model/entity.h"

#include <gtest/gtest.h>

namespace ura::model {
namespace {

Entity Sample() {
  Entity e;
  e.id = "border.abc";
  e.schema = "Person";
  e.marking = {HandlingCode::kH2, Classification::kConfidential, 'B', 2};
  e.Add("name", {"Mehmet Rombolaku", {"border", "C1", 100}});
  e.Add("name", {"Mehmet Rombolakë", {"cases", "P7", 200}});
  e.Add("birthDate", {"1985-03-04", {"border", "C1", 100}});
  return e;
}

TEST(EntityTest, CanonicalJsonIsDeterministicAndRoundTrips) {
  Entity a = Sample();
  Entity b;
  b.id = a.id;
  b.schema = a.schema;
  b.marking = a.marking;
  // Same content added in another order.
  b.Add("birthDate", {"1985-03-04", {"border", "C1", 100}});
  b.Add("name", {"Mehmet Rombolakë", {"cases", "P7", 200}});
  b.Add("name", {"Mehmet Rombolaku", {"border", "C1", 100}});
  EXPECT_EQ(CanonicalJson(a), CanonicalJson(b));
  auto parsed = ParseEntityJson(CanonicalJson(a));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(CanonicalJson(*parsed), CanonicalJson(a));
  EXPECT_FALSE(ParseEntityJson("{\"id\": 1}").ok());
}

TEST(EntityTest, FastCanonicalJsonEqualsNlohmannsOutput) {
  Entity e = Sample();
  e.Add("notes", {std::string("quote \" backslash \\ newline \n tab \t bell \x07 ë Ђ /"), {"s\"x", "r\\1", -5}});
  e.Add("alias", {"", {"", "", 0}});
  EXPECT_EQ(CanonicalJson(e), CanonicalJsonReference(e));
  Entity empty;
  EXPECT_EQ(CanonicalJson(empty), CanonicalJsonReference(empty));
}

TEST(EntityTest, NeedToKnowCasesAreCanonicalAndOnlyWrittenWhenSet) {
  Entity e = Sample();
  const std::string without = CanonicalJson(e);
  EXPECT_EQ(without.find("\"cases\":"), std::string::npos);  // old entities keep their bytes
  auto cases = NormaliseCases({" OC-2024-17 ", "AL-2023-5", "OC-2024-17", "  "});
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ(*cases, (std::vector<std::string>{"AL-2023-5", "OC-2024-17"}));
  e.marking.cases = *cases;
  EXPECT_EQ(CanonicalJson(e), CanonicalJsonReference(e));
  auto back = ParseEntityJson(CanonicalJson(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->marking, e.marking);
  auto ftm = FromFtmJson(ToFtmJson(e), {}, {});
  ASSERT_TRUE(ftm.ok()) << ftm.status().ToString();
  EXPECT_EQ(ftm->marking.cases, e.marking.cases);
  EXPECT_FALSE(NormaliseCases({"bad\ncase"}).ok());
  EXPECT_FALSE(NormaliseCases({std::string(101, 'x')}).ok());
  // A marking naming cases must name at least one, as strings.
  std::string empty = without;
  empty.replace(empty.find("\"marking\":{"), 11, "\"marking\":{\"cases\":[],");
  EXPECT_FALSE(ParseEntityJson(empty).ok());
  std::string number = without;
  number.replace(number.find("\"marking\":{"), 11, "\"marking\":{\"cases\":[7],");
  EXPECT_FALSE(ParseEntityJson(number).ok());
}

// Every way a stored entity can be malformed is an error naming what is wrong, never a
// partly read entity.
TEST(EntityTest, ParseEntityJsonRefusesMalformedDocuments) {
  const std::string good = CanonicalJson(Sample());
  ASSERT_TRUE(ParseEntityJson(good).ok());
  auto refused = [&](std::string from, std::string to) {
    std::string doc = good;
    const size_t at = doc.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    doc.replace(at, from.size(), to);
    auto r = ParseEntityJson(doc);
    EXPECT_FALSE(r.ok()) << doc;
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(refused("\"id\":", "\"ident\":").find("'id'"), std::string::npos);
  EXPECT_NE(refused("\"schema\":\"Person\"", "\"schema\":7").find("'schema'"), std::string::npos);
  EXPECT_NE(refused("\"handling\":\"H", "\"handling\":\"Z").find("handling"), std::string::npos);
  EXPECT_NE(refused("\"accuracy\":", "\"accuracy\":-").find("accuracy"), std::string::npos);
  EXPECT_NE(refused("\"marking\":{", "\"marking\":\"H1\",\"m\":{").find("marking"), std::string::npos);
  EXPECT_NE(refused("\"name\":[", "\"name\":{\"x\":1},\"n\":[").find("'name'"), std::string::npos);
  EXPECT_NE(refused("\"v\":", "\"value\":").find("'v'"), std::string::npos);
  EXPECT_NE(refused("\"t\":", "\"t\":\"soon\",\"u\":").find("time"), std::string::npos);
  EXPECT_FALSE(ParseEntityJson(good.substr(0, good.size() - 1)).ok());  // cut short
  EXPECT_FALSE(ParseEntityJson("[]").ok());
  EXPECT_FALSE(ParseEntityJson("").ok());
}

TEST(EntityTest, EncodedMarkingRoundTrips) {
  Marking m;
  EXPECT_EQ(DecodeMarking(EncodeMarking(m)).value(), m);
  m.handling = HandlingCode::kH3;
  m.classification = Classification::kSecret;
  m.reliability = 'B';
  m.accuracy = 2;
  m.cases = {"AL-2023-5", "OC 2024/17"};
  EXPECT_EQ(EncodeMarking(m), "H3\x1fsecret\x1f" "B\x1f" "2\x1f" "AL-2023-5\x1fOC 2024/17");
  EXPECT_EQ(DecodeMarking(EncodeMarking(m)).value(), m);
  for (const char* bad : {"", "H3", "H9\x1fsecret\x1f" "B\x1f" "2", "H3\x1ftop\x1f" "B\x1f" "2", "H3\x1fsecret\x1fQ\x1f" "2",
                          "H3\x1fsecret\x1f" "B\x1f" "9"}) {
    EXPECT_FALSE(DecodeMarking(bad).ok()) << bad;
  }
}

TEST(EntityTest, SameContentAgreesWithTheDigestAndIgnoresTimes) {
  Entity a = Sample();
  Entity b = Sample();
  for (auto& [name, values] : b.properties) {
    for (auto& v : values) v.provenance.ingested_us += 999;  // re-ingested later
  }
  EXPECT_TRUE(SameContent(a, b));
  EXPECT_EQ(ContentDigest(a), ContentDigest(b));
  Entity c = Sample();
  c.Add("name", {"M. Rombolaku", {"wanted", "N1", 300}});
  EXPECT_FALSE(SameContent(a, c));
  EXPECT_NE(ContentDigest(a), ContentDigest(c));
  Entity d = Sample();
  d.marking.handling = HandlingCode::kH3;
  EXPECT_FALSE(SameContent(a, d));
  Entity e = Sample();
  e.properties["name"][0].provenance.record_key = "C2";  // same value, another record
  EXPECT_FALSE(SameContent(a, e));
  EXPECT_NE(ContentDigest(a), ContentDigest(e));
}

TEST(EntityTest, RemoveRecordDropsOnlyThatRecordsValues) {
  Entity e = Sample();
  EXPECT_EQ(e.RemoveRecord({"border", "C1", 0}), 2u);
  EXPECT_EQ(e.Values("name"), (std::vector<std::string>{"Mehmet Rombolakë"}));
  EXPECT_EQ(e.properties.count("birthDate"), 0u);
}

TEST(EntityTest, ValidationNormalisesAndNamesTheField) {
  const auto& registry = SchemaRegistry::Builtin();
  Entity e = Sample();
  e.Add("nationality", {"ALB", {"border", "C1", 100}});
  e.Add("phone", {"069 123 4567", {"border", "C1", 100}});
  ASSERT_TRUE(ValidateAndNormalize(e, registry, "al").ok());
  EXPECT_EQ(e.Values("nationality"), (std::vector<std::string>{"al"}));
  EXPECT_EQ(e.Values("phone"), (std::vector<std::string>{"+355691234567"}));

  Entity bad_date = Sample();
  bad_date.Add("birthDate", {"1985-02-30", {"border", "C2", 100}});
  Status s = ValidateAndNormalize(bad_date, registry);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("birthDate"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("1985-02-30"), std::string::npos) << s.message();

  Entity unknown = Sample();
  unknown.Add("birthdate", {"1985", {"border", "C1", 1}});
  s = ValidateAndNormalize(unknown, registry);
  EXPECT_NE(s.message().find("did you mean 'birthDate'"), std::string::npos) << s.message();

  Entity abstract = Sample();
  abstract.schema = "Thing";
  EXPECT_FALSE(ValidateAndNormalize(abstract, registry).ok());
  Entity no_schema = Sample();
  no_schema.schema = "Persn";
  EXPECT_NE(ValidateAndNormalize(no_schema, registry).message().find("Person"), std::string::npos);

  Entity account = Sample();
  account.schema = "BankAccount";
  account.properties.clear();
  account.Add("iban", {"AL47 2121 1009 0000 0002 3569 8742", {"fiu", "A1", 1}});  // one digit off
  EXPECT_FALSE(ValidateAndNormalize(account, registry).ok());
}

TEST(EntityTest, FtmLinesKeepProvenanceAndMarking) {
  Entity a = Sample();
  std::string line = ToFtmJson(a);
  auto back = FromFtmJson(line, {"ftm", "x", 1}, Marking{});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToFtmJson(*back), line);
  EXPECT_EQ(back->marking, a.marking);
  // Plain FtM (no "ura" part) gets the fallback provenance and default marking.
  auto plain = FromFtmJson(R"({"id":"x1","schema":"Person","properties":{"name":["Ana"]}})",
                           {"partner", "x1", 5}, Marking{});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->properties.at("name").at(0).provenance.source, "partner");
  EXPECT_FALSE(FromFtmJson(R"({"schema":"Person"})", {}, Marking{}).ok());
  EXPECT_FALSE(FromFtmJson(R"({"id":"x","schema":"Person","properties":{"name":"Ana"}})", {}, Marking{}).ok());
}

}  // namespace
}  // namespace ura::model
