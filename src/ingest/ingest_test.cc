// Readers, transforms, the mapping loader and the ingest engine, with an in-memory store.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "ingest/csv_reader.h"
#include "ingest/ingester.h"
#include "ingest/json_reader.h"
#include "ingest/mapping.h"

namespace ura::ingest {
namespace {

class TempFiles {
 public:
  TempFiles() {
    char tmpl[] = "/tmp/ura-ingest-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  ~TempFiles() { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string dir_;
};

std::vector<RecordReader::Item> ReadAll(RecordReader& reader) {
  std::vector<RecordReader::Item> out;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    out.push_back(std::move(**next));
  }
  return out;
}

TEST(CsvReaderTest, GoodAndBadRowsAreSeparatedAndReadingGoesOn) {
  TempFiles files;
  std::string big(10 << 20, 'x');
  std::string path = files.Write("a.csv",
                                 "id,name,city\n"
                                 "1,Arben,Tiranë\n"
                                 "2,\"Çoci, Arben\",\"Durrës\nport\"\n"      // quoted comma and newline
                                 "3,\"broken,Vlorë\n"                          // unbalanced quote
                                 "4,Teuta\n"                                   // wrong column count
                                 "5,\xff\xfe,Shkodër\n"                        // invalid UTF-8
                                 "6,\"a\"b,Korçë\n"                            // garbage after a quote
                                 "7," + big + ",Fier\n"                        // 10 MB field
                                 "8,Elira,Berat\n");
  auto reader = OpenCsvReader(path, CsvOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto items = ReadAll(**reader);
  std::vector<std::string> good_ids;
  std::map<uint64_t, std::string> bad;
  for (auto& item : items) {
    if (item.record) good_ids.push_back(item.record->Lookup("id").at(0));
    if (item.bad) bad[item.bad->row] = item.bad->reason;
  }
  EXPECT_EQ(good_ids, (std::vector<std::string>{"1", "2", "8"}));
  ASSERT_EQ(bad.size(), 5u) << ::testing::PrintToString(bad);
  EXPECT_NE(bad[3].find("unbalanced quote"), std::string::npos) << bad[3];
  EXPECT_NE(bad[4].find("has 2 fields, the header has 3"), std::string::npos) << bad[4];
  EXPECT_NE(bad[5].find("invalid UTF-8"), std::string::npos) << bad[5];
  EXPECT_NE(bad[6].find("malformed quoting"), std::string::npos) << bad[6];
  EXPECT_TRUE(bad[7].find("line longer") != std::string::npos || bad[7].find("limit") != std::string::npos) << bad[7];
  auto second = items[1].record;
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->Lookup("name").at(0), "Çoci, Arben");
  EXPECT_EQ(second->Lookup("city").at(0), "Durrës\nport");
}

TEST(CsvReaderTest, Windows1250IsConverted) {
  TempFiles files;
  // "Kavajë" and "Çoci" in windows-1250: ë = 0xEB, Ç = 0xC7.
  std::string path = files.Write("v.csv", std::string("plate;owner\nAA123BC;\xC7oci Kavaj\xEB\n"));
  CsvOptions o;
  o.delimiter = ';';
  o.encoding = "windows-1250";
  auto reader = OpenCsvReader(path, o);
  ASSERT_TRUE(reader.ok());
  auto items = ReadAll(**reader);
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].record);
  EXPECT_EQ(items[0].record->Lookup("owner").at(0), "Çoci Kavajë");
}

TEST(JsonReaderTest, ArrayAtPathIsStreamedAndBombsAreRejected) {
  TempFiles files;
  std::string path = files.Write("c.json",
                                 R"({"export": {"system": "CMS"}, "cases": [{"case_id": "A", "suspects": [{"n": 1}, {"n": 2}]}, 7, {"case_id": "B"}]})");
  JsonOptions o;
  o.records_path = "cases";
  auto reader = OpenJsonArrayReader(path, o);
  ASSERT_TRUE(reader.ok());
  auto items = ReadAll(**reader);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].record->Lookup("case_id").at(0), "A");
  EXPECT_EQ(items[0].record->Lookup("suspects.n"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(items[1].bad.has_value());
  EXPECT_EQ(items[2].record->Lookup("case_id").at(0), "B");

  std::string bomb = "{\"n\":1}\n" + std::string(100000, '[') + std::string(100000, ']') + "\n{\"n\":2}\n{\"n\":\n";
  std::string nd = files.Write("b.ndjson", bomb);
  auto nd_reader = OpenNdjsonReader(nd, JsonOptions{});
  ASSERT_TRUE(nd_reader.ok());
  auto nd_items = ReadAll(**nd_reader);
  ASSERT_EQ(nd_items.size(), 4u);
  EXPECT_TRUE(nd_items[0].record.has_value());
  ASSERT_TRUE(nd_items[1].bad.has_value());
  EXPECT_NE(nd_items[1].bad->reason.find("nested deeper"), std::string::npos);
  EXPECT_TRUE(nd_items[2].record.has_value());
  EXPECT_TRUE(nd_items[3].bad.has_value());  // truncated JSON

  std::string cut = files.Write("cut.json", R"({"cases": [{"case_id": "A"}, {"case_id": )");
  auto cut_reader = OpenJsonArrayReader(cut, o);
  ASSERT_TRUE(cut_reader.ok());
  auto first = (*cut_reader)->Next();
  ASSERT_TRUE(first.ok() && *first && (*first)->record);
  auto second = (*cut_reader)->Next();
  EXPECT_FALSE(second.ok());  // the rest of a broken document cannot be read
}

TEST(TransformTest, DatesNamesAndMaps) {
  EXPECT_EQ(ParseDateWithFormat("04.03.1985", "DD.MM.YYYY"), "1985-03-04");
  EXPECT_EQ(ParseDateWithFormat("4/3/85", "D/M/YY"), "1985-03-04");
  EXPECT_EQ(ParseDateWithFormat("19850304", "YYYYMMDD"), "1985-03-04");
  EXPECT_EQ(ParseDateWithFormat("02.11.2026 08:14", "DD.MM.YYYY HH:mm"), "2026-11-02T08:14");
  EXPECT_EQ(ParseDateWithFormat("29.02.2023", "DD.MM.YYYY"), std::nullopt);
  EXPECT_EQ(ParseDateWithFormat("29.02.2024", "DD.MM.YYYY"), "2024-02-29");
  EXPECT_EQ(ParseDateWithFormat("1985-03", "YYYY-MM"), "1985-03");
  EXPECT_EQ(ParseDateWithFormat("04.03.1985x", "DD.MM.YYYY"), std::nullopt);

  Transform date;
  date.kind = Transform::Kind::kDate;
  date.date_formats = {"DD/MM/YYYY", "YYYY-MM-DD"};
  EXPECT_EQ(*ApplyTransforms({date}, {"04/03/1985", "1985-03-05"}), (std::vector<std::string>{"1985-03-04", "1985-03-05"}));
  EXPECT_FALSE(ApplyTransforms({date}, {"31/02/1985"}).ok());

  Transform title;
  title.kind = Transform::Kind::kTitle;
  EXPECT_EQ(ApplyTransforms({title}, {"ARBEN ÇOCI"})->at(0), "Arben Çoci");
  Transform given, family;
  given.kind = family.kind = Transform::Kind::kNamePart;
  given.given_part = true;
  EXPECT_EQ(ApplyTransforms({given}, {"Mehmet Ali Rombolaku"})->at(0), "Mehmet Ali");
  EXPECT_EQ(ApplyTransforms({family}, {"Mehmet Ali Rombolaku"})->at(0), "Rombolaku");
  EXPECT_EQ(ApplyTransforms({family}, {"ROMBOLAKU, Mehmet"})->at(0), "ROMBOLAKU");
  family.family_first = true;
  EXPECT_EQ(ApplyTransforms({family}, {"Rombolaku Mehmet"})->at(0), "Rombolaku");
  Transform map;
  map.kind = Transform::Kind::kMap;
  map.map = {{"I", "entry"}};
  EXPECT_EQ(ApplyTransforms({map}, {"I", "X"})->at(1), "X");
  map.strict = true;
  EXPECT_FALSE(ApplyTransforms({map}, {"X"}).ok());
}

TEST(MappingTest, MistakesNameFileLineAndKey) {
  const auto& registry = model::SchemaRegistry::Builtin();
  struct Case {
    std::string yaml;
    std::string expected;
  } cases[] = {
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Person\n        keys: [id]\n"
       "        properties:\n          birthdate: {column: dob}\n",
       "m.yml:8: unknown property 'birthdate' of schema Person (did you mean 'birthDate'?)"},
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Persn\n        keys: [id]\n",
       "m.yml:5: unknown schema 'Persn' (did you mean 'Person'?)"},
      {"source: {name: b, format: xml}\nqueries: []\n", "m.yml:1: source: format must be csv, json or ndjson"},
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Person\n"
       "        keys: [id]\n        properties:\n          name: {column: a, literal: b}\n",
       "m.yml:8: property 'name' needs exactly one of column, columns, literal, entity"},
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Person\n"
       "        keys: [id]\n        properties:\n          birthDate: {column: d, transforms: [{date: \"DD.MM\"}]}\n",
       "m.yml:8: date format 'DD.MM' needs at least a year"},
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Person\n"
       "        keys: [id]\n        properties:\n          name: {column: a, transforms: [shout]}\n",
       "m.yml:8: unknown transform 'shout'"},
      {"source: {name: b, format: csv}\nqueries:\n  - entities:\n      p:\n        schema: Passport\n"
       "        keys: [id]\n        properties:\n          holder: {entity: q}\n",
       "m.yml:8: no entity 'q' in this query"},
      {"source: {name: b, format: csv}\ndefaults: {handling: H7}\nqueries: []\n",
       "m.yml:2: handling code 'H7' is not one of H0, H1, H2, H3"},
      {"source: {name: b, format: csv\n", "m.yml:"},
  };
  for (const auto& c : cases) {
    auto m = ParseMapping(c.yaml, "m.yml", registry);
    ASSERT_FALSE(m.ok()) << c.yaml;
    EXPECT_EQ(m.status().message().rfind(c.expected, 0), 0u) << m.status().message() << "\nexpected: " << c.expected;
  }
}

// An in-memory store for the engine.
class MemoryStore : public EntityState, public EntitySink {
 public:
  Result<std::optional<model::Entity>> Current(const std::string& id) override {
    auto it = entities.find(id);
    if (it == entities.end()) return std::optional<model::Entity>();
    return std::optional<model::Entity>(it->second);
  }
  Status Write(const std::vector<model::Entity>& versions) override {
    for (const auto& e : versions) {
      entities[e.id] = e;
      journal.push_back(model::CanonicalJson(e));
    }
    return Status::Ok();
  }
  std::map<std::string, model::Entity> entities;
  std::vector<std::string> journal;
};

const char* kMapping = R"(
source: {name: border, format: csv, csv: {delimiter: ";"}}
defaults: {handling: H1, reliability: B, accuracy: 2}
queries:
  - entities:
      person:
        schema: Person
        keys: [doc]
        properties:
          name: {column: name, transforms: [title]}
          birthDate: {column: dob, transforms: [{date: "DD.MM.YYYY"}]}
          nationality: {column: nat}
      passport:
        schema: Passport
        keys: [doc]
        properties:
          holder: {entity: person}
          number: {column: doc}
)";

TEST(IngesterTest, IdempotentReingestNewVersionOnChangeAndQuarantine) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  auto mapping = ParseMapping(kMapping, "border.yml", registry);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  MemoryStore store;
  ManualClock clock(1'700'000'000'000'000);
  IngestOptions options;
  options.clock = &clock;
  std::string path = files.Write("x.csv", "doc;name;dob;nat\nBA1;MEHMET ROMBOLAKU;04.03.1985;ALB\nBB2;ARBEN COCI;31.02.1980;ALB\nBB3;ELIRA;01.01.1990;ZZZ\n");
  {
    Ingester ingester(*mapping, registry, store, store, options);
    auto s = ingester.IngestFile(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->records_read, 3u);
    EXPECT_EQ(s->records_rejected, 2u);
    EXPECT_EQ(s->versions_written, 2u);
    std::string rejects = files.Read(path + ".rejects.ndjson");
    EXPECT_NE(rejects.find("\"row\":2"), std::string::npos) << rejects;
    EXPECT_NE(rejects.find("not a valid date"), std::string::npos) << rejects;
    EXPECT_NE(rejects.find("nationality"), std::string::npos) << rejects;
  }
  const model::Entity& person = store.entities.begin()->second.schema == "Person" ? store.entities.begin()->second
                                                                                   : std::next(store.entities.begin())->second;
  EXPECT_EQ(person.Values("name"), (std::vector<std::string>{"Mehmet Rombolaku"}));
  EXPECT_EQ(person.Values("nationality"), (std::vector<std::string>{"al"}));
  EXPECT_EQ(person.marking.handling, model::HandlingCode::kH1);
  EXPECT_EQ(person.properties.at("name").at(0).provenance.record_key, "BA1");

  // The same file again: nothing new.
  clock.Advance(1'000'000);
  {
    Ingester ingester(*mapping, registry, store, store, options);
    auto s = ingester.IngestFile(path);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->versions_written, 0u);
    EXPECT_EQ(s->unchanged, 2u);
  }
  // A changed row: a new version of the person; the passport is unchanged.
  files.Write("x.csv", "doc;name;dob;nat\nBA1;MEHMET ROMBOLAKË;04.03.1985;ALB\n");
  {
    Ingester ingester(*mapping, registry, store, store, options);
    auto s = ingester.IngestFile(path);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->versions_written, 1u);
    EXPECT_EQ(s->unchanged, 1u);
    EXPECT_EQ(s->records_rejected, 0u);
  }
  EXPECT_EQ(store.journal.size(), 3u);  // both versions are kept
  for (const auto& [id, e] : store.entities) {
    if (e.schema == "Person") {
      EXPECT_EQ(e.Values("name"), (std::vector<std::string>{"Mehmet Rombolakë"}));
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".rejects.ndjson"));
}

TEST(IngesterTest, NeedToKnowComesFromAColumnAndSticks) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  auto mapping = ParseMapping(R"(
source: {name: cms, format: csv}
queries:
  - entities:
      person:
        schema: Person
        keys: [ref]
        need_to_know: restricted_to
        properties:
          name: {column: name}
)", "cms.yml", registry);
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  MemoryStore store;
  std::string path = files.Write("p.csv", "ref,name,restricted_to\nP1,Arben Coci,OC-2026-7\nP2,Elira Hoxha,\n");
  {
    Ingester ingester(*mapping, registry, store, store, {});
    ASSERT_TRUE(ingester.IngestFile(path).ok());
  }
  std::map<std::string, std::vector<std::string>> cases;
  for (const auto& [id, e] : store.entities) cases[e.Values("name").at(0)] = e.marking.cases;
  EXPECT_EQ(cases["Arben Coci"], (std::vector<std::string>{"OC-2026-7"}));
  EXPECT_TRUE(cases["Elira Hoxha"].empty());
  // A later row about P1 without a restriction (or with another case) does not lift it.
  files.Write("p.csv", "ref,name,restricted_to\nP1,Arben Çoci,\n");
  {
    Ingester ingester(*mapping, registry, store, store, {});
    ASSERT_TRUE(ingester.IngestFile(path).ok());
  }
  files.Write("p.csv", "ref,name,restricted_to\nP1,Arben Çoci,AL-2025-1\n");
  {
    Ingester ingester(*mapping, registry, store, store, {});
    ASSERT_TRUE(ingester.IngestFile(path).ok());
  }
  for (const auto& [id, e] : store.entities) {
    if (e.Values("name").at(0) == "Arben Çoci") {
      EXPECT_EQ(e.marking.cases, (std::vector<std::string>{"AL-2025-1", "OC-2026-7"}));
    }
  }
  auto bad = ParseMapping("source: {name: cms, format: csv}\nqueries:\n  - entities:\n      p: {schema: Person, keys: [ref], need_to_know: [a, b]}\n",
                          "cms.yml", registry);
  EXPECT_FALSE(bad.ok());
}

TEST(IngesterTest, FtmRoundTripIsIdentical) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  auto mapping = ParseMapping(kMapping, "border.yml", registry);
  MemoryStore first;
  Ingester ingester(*mapping, registry, first, first, {});
  ASSERT_TRUE(ingester.IngestFile(files.Write("x.csv", "doc;name;dob;nat\nBA1;MEHMET ROMBOLAKU;04.03.1985;ALB\n")).ok());
  std::string exported;
  for (const auto& [id, e] : first.entities) exported += model::ToFtmJson(e) + "\n";
  MemoryStore second;
  auto s = IngestFtmFile(files.Write("e.ndjson", exported), "ftm", model::Marking{}, registry, second, second, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->versions_written, 2u);
  std::string again;
  for (const auto& [id, e] : second.entities) again += model::ToFtmJson(e) + "\n";
  EXPECT_EQ(again, exported);
}

// Found in review: rows that disagree about one entity within a batch must still leave an
// unchanged file unchanged on the next run.
TEST(IngesterTest, DisagreeingRowsStayIdempotent) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  auto mapping = ParseMapping(kMapping, "border.yml", registry);
  MemoryStore store;
  std::string path = files.Write("x.csv", "doc;name;dob;nat\nBA1;Mehmet;04.03.1985;ALB\nBA1;Mehmet;04.03.1985;MKD\n");
  for (int run = 0; run < 3; ++run) {
    Ingester ingester(*mapping, registry, store, store, {});
    auto s = ingester.IngestFile(path);
    ASSERT_TRUE(s.ok());
    if (run > 0) {
      EXPECT_EQ(s->versions_written, 0u) << "run " << run;
    }
  }
}

// Found in review: a row that now says nothing replaces what it said before.
TEST(IngesterTest, AnEmptiedRowWritesANewVersion) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  auto mapping = ParseMapping(kMapping, "border.yml", registry);
  MemoryStore store;
  std::string path = files.Write("x.csv", "doc;name;dob;nat\nBA1;Mehmet;04.03.1985;ALB\n");
  ASSERT_TRUE(Ingester(*mapping, registry, store, store, {}).IngestFile(path).ok());
  files.Write("x.csv", "doc;name;dob;nat\nBA1;;;\n");
  auto s = Ingester(*mapping, registry, store, store, {}).IngestFile(path);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->versions_written, 1u);
  for (const auto& [id, e] : store.entities) {
    if (e.schema == "Person") {
      EXPECT_TRUE(e.Values("name").empty());
    }
  }
}

// Found in review: FtM lines from two sources about one entity are merged, not replaced.
TEST(IngesterTest, FtmFromTwoSourcesIsMerged) {
  TempFiles files;
  const auto& registry = model::SchemaRegistry::Builtin();
  MemoryStore store;
  auto a = IngestFtmFile(files.Write("a.ndjson", R"({"id":"Q1","schema":"Person","properties":{"name":["Alice"]}})" "\n"),
                         "s1", model::Marking{}, registry, store, store, {});
  ASSERT_TRUE(a.ok());
  auto b = IngestFtmFile(files.Write("b.ndjson", R"({"id":"Q1","schema":"Person","properties":{"name":["Alicia"],"nationality":["al"]}})" "\n"),
                         "s2", model::Marking{}, registry, store, store, {});
  ASSERT_TRUE(b.ok());
  const model::Entity& e = store.entities.at("Q1");
  auto names = e.Values("name");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Alice", "Alicia"}));
  auto again = IngestFtmFile(files.Write("b2.ndjson", R"({"id":"Q1","schema":"Person","properties":{"name":["Alicia"],"nationality":["al"]}})" "\n"),
                             "s2", model::Marking{}, registry, store, store, {});
  EXPECT_EQ(again->versions_written, 0u);
}

TEST(MappingTest, UnsupportedEncodingsAreRefused) {
  const auto& registry = model::SchemaRegistry::Builtin();
  auto m = ParseMapping("source: {name: c, format: json, encoding: windows-1251}\nqueries: []\n", "m.yml", registry);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("UTF-8"), std::string::npos);
  TempFiles files;
  CsvOptions o;
  o.encoding = "UTF-16LE";
  auto r = OpenCsvReader(files.Write("u.csv", "a\n"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not supported"), std::string::npos);
}

}  // namespace
}  // namespace ura::ingest
