// Tests of `Generate`: determinism, and that the files, the planted bad rows and the ground
// truth agree. The files are read back with implementations independent of the generator:
// libcsv (strict RFC 4180), nlohmann/json, ICU (UTF-8 and windows-1250), libphonenumber, and
// std::chrono for calendar dates; entity counts are recomputed here with plain string sets.
#include "generate/generate.h"

#include <csv.h>
#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "base/file_system.h"
#include "generate/identifiers.h"

namespace ura::generate {
namespace {

using nlohmann::json;

constexpr uint64_t kPersons = 2000;
constexpr double kBadRate = 0.01;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ura-generate-test-XXXXXX";
    if (::mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& content) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    lines.push_back(content.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool ValidUtf8(const std::string& s) {
  std::vector<UChar> buffer(s.size() + 1);
  int32_t length = 0;
  UErrorCode error = U_ZERO_ERROR;
  u_strFromUTF8(buffer.data(), static_cast<int32_t>(buffer.size()), &length, s.data(),
                static_cast<int32_t>(s.size()), &error);
  return U_SUCCESS(error);
}

// windows-1250 → UTF-8 with ICU; nullopt if a byte is not windows-1250.
std::optional<std::string> FromWindows1250(const std::string& bytes) {
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("windows-1250", &error);
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  std::vector<UChar> wide(bytes.size() + 1);
  int32_t n = ucnv_toUChars(converter, wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                            static_cast<int32_t>(bytes.size()), &error);
  ucnv_close(converter);
  if (U_FAILURE(error)) return std::nullopt;
  std::string out(static_cast<size_t>(n) * 3 + 1, '\0');
  int32_t length = 0;
  UErrorCode e2 = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &length, wide.data(), n, &e2);
  out.resize(static_cast<size_t>(length));
  return out;
}

// One CSV line with libcsv in strict mode; nullopt if its quoting is broken.
std::optional<std::vector<std::string>> ParseCsvLine(const std::string& line, char delimiter) {
  struct State {
    std::vector<std::string> fields;
    bool row = false;
  } state;
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  auto on_field = [](void* data, size_t len, void* self) {
    static_cast<State*>(self)->fields.emplace_back(static_cast<const char*>(data), len);
  };
  auto on_row = [](int, void* self) { static_cast<State*>(self)->row = true; };
  std::string text = line + "\n";
  size_t consumed = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &state);
  bool ok =
      consumed == text.size() && csv_fini(&parser, on_field, on_row, &state) == 0 && state.row;
  csv_free(&parser);
  if (!ok) return std::nullopt;
  return state.fields;
}

// A calendar date in `layout` (YYYY, MM, DD; other characters literal), checked with
// std::chrono. Partial layouts ("YYYY", "YYYY-MM") check what they have.
bool ValidDate(const std::string& value, const std::string& layout) {
  if (value.size() != layout.size()) return false;
  int year = 2000, month = 1, day = 1;
  for (size_t i = 0; i < layout.size();) {
    auto number = [&](size_t width, int& out) {
      out = 0;
      for (size_t k = 0; k < width; ++k) {
        char c = value[i + k];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
      }
      i += width;
      return true;
    };
    if (layout.compare(i, 4, "YYYY") == 0) {
      if (!number(4, year)) return false;
    } else if (layout.compare(i, 2, "MM") == 0) {
      if (!number(2, month)) return false;
    } else if (layout.compare(i, 2, "DD") == 0) {
      if (!number(2, day)) return false;
    } else if (layout.compare(i, 2, "HH") == 0) {
      int hour;
      if (!number(2, hour) || hour > 23) return false;
    } else if (layout.compare(i, 2, "mm") == 0) {
      int minute;
      if (!number(2, minute) || minute > 59) return false;
    } else {
      if (value[i] != layout[i]) return false;
      ++i;
    }
  }
  using namespace std::chrono;
  return year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

// ISO 13616 mod-97, written out again here.
bool IbanOk(const std::string& iban) {
  if (iban.size() < 15) return false;
  std::string moved = iban.substr(4) + iban.substr(0, 4);
  int r = 0;
  for (char c : moved) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      r = (r * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return r == 1;
}

struct CsvSpec {
  const char* file;
  char delimiter;
  bool windows1250;
  size_t key;                                         // key column
  std::vector<std::pair<size_t, const char*>> dates;  // (column, layout); empty value allowed
  std::vector<size_t> ibans;
};

struct CsvRow {
  uint64_t number;                  // 1-based data row
  std::string text;                 // UTF-8 (decoded for windows-1250)
  std::vector<std::string> fields;  // empty unless the row parsed with the header's width
  std::string kind;                 // "" for a good row
};

// Reads a CSV export and says what is wrong with each row, checking in the order a reader
// meets the problems: encoding, quoting, width, key, dates, IBANs.
std::vector<CsvRow> ClassifyCsv(const std::string& dir, const CsvSpec& spec) {
  std::vector<std::string> lines = Lines(ReadFile(dir + "/" + spec.file));
  std::vector<CsvRow> rows;
  std::string header_text = lines.at(0);
  size_t width = ParseCsvLine(header_text, spec.delimiter)->size();
  for (size_t i = 1; i < lines.size(); ++i) {
    CsvRow row{i, lines[i], {}, ""};
    if (spec.windows1250) {
      auto decoded = FromWindows1250(lines[i]);
      if (!decoded) {
        row.kind = "undecodable";
        rows.push_back(row);
        continue;
      }
      row.text = *decoded;
    }
    auto fields = ParseCsvLine(row.text, spec.delimiter);
    if (!ValidUtf8(row.text)) {
      row.kind = kInvalidUtf8;
    } else if (!fields) {
      row.kind = kUnbalancedQuote;
    } else if (fields->size() != width) {
      row.kind = kWrongColumnCount;
    } else {
      row.fields = *fields;
      if (row.fields[spec.key].empty()) {
        row.kind = kMissingKey;
      } else {
        for (auto [column, layout] : spec.dates) {
          const std::string& v = row.fields[column];
          if (!v.empty() && !ValidDate(v, layout)) row.kind = kBadDate;
        }
        for (size_t column : spec.ibans) {
          if (row.kind.empty() && !IbanOk(row.fields[column])) row.kind = kBadIban;
        }
      }
    }
    rows.push_back(row);
  }
  return rows;
}

const CsvSpec kBorder{
    "border/crossings.csv", ';', false, 0, {{6, "DD.MM.YYYY"}, {3, "DD.MM.YYYY HH:mm"}}, {}};
const CsvSpec kVehicles{
    "vehicles/registry.csv", ',', true, 0, {{9, "YYYYMMDD"}, {11, "YYYY-MM-DD"}}, {}};
const CsvSpec kAccounts{
    "fiu/accounts.csv", ',', false, 0, {{4, "YYYY-MM-DD"}, {6, "YYYY-MM-DD"}}, {0}};
const CsvSpec kTransactions{"fiu/transactions.csv", ',', false, 0, {{1, "YYYY-MM-DD"}}, {4, 6}};

bool ValidAnyDate(const std::string& v, std::initializer_list<const char*> layouts) {
  for (const char* layout : layouts) {
    if (ValidDate(v, layout)) return true;
  }
  return false;
}

class GenerateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    GenerateOptions options;
    options.out_dir = dir_->path() + "/out";
    options.persons = kPersons;
    options.seed = 7;
    options.bad_rate = kBadRate;
    auto summary = Generate(DefaultFileSystem(), options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    out_ = options.out_dir;
    summary_ = json::parse(ReadFile(out_ + "/truth/summary.json"));
    for (const std::string& line : Lines(ReadFile(out_ + "/truth/bad_rows.csv"))) {
      if (line.rfind("source_file", 0) == 0) continue;
      size_t a = line.find(','), b = line.rfind(',');
      truth_bad_[line.substr(0, a)][std::stoull(line.substr(a + 1, b - a - 1))] =
          line.substr(b + 1);
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Checks each row's classification against truth/bad_rows.csv.
  static void ExpectKindsMatchTruth(const std::string& file,
                                    const std::vector<std::pair<uint64_t, std::string>>& found) {
    std::map<uint64_t, std::string> bad;
    for (const auto& [row, kind] : found) {
      if (!kind.empty()) bad[row] = kind;
    }
    EXPECT_EQ(bad, truth_bad_[file]) << file;
    EXPECT_EQ(summary_["files"][file]["bad_rows"].get<uint64_t>(), bad.size()) << file;
    std::map<std::string, uint64_t> by_kind;
    for (const auto& [row, kind] : bad) ++by_kind[kind];
    using Counts = std::map<std::string, uint64_t>;
    EXPECT_EQ(summary_["files"][file]["bad_by_kind"].get<Counts>(), by_kind);
  }

  static std::vector<std::pair<uint64_t, std::string>> Kinds(const std::vector<CsvRow>& rows) {
    std::vector<std::pair<uint64_t, std::string>> out;
    for (const CsvRow& r : rows) out.emplace_back(r.number, r.kind);
    return out;
  }

  static std::map<std::string, uint64_t> Entities(const std::string& file) {
    return summary_["files"][file]["entities"].get<std::map<std::string, uint64_t>>();
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string out_;
  static inline json summary_;
  static inline std::map<std::string, std::map<uint64_t, std::string>> truth_bad_;
};

const char* kAllFiles[] = {"border/crossings.csv", "cases/cases.json",  "vehicles/registry.csv",
                           "wanted/wanted.ndjson", "fiu/accounts.csv",  "fiu/transactions.csv",
                           "truth/persons.csv",    "truth/groups.csv",  "truth/laundering.csv",
                           "truth/bad_rows.csv",   "truth/summary.json"};

TEST_F(GenerateTest, SameSeedGivesTheSameBytesAndAnotherSeedDoesNot) {
  TempDir again;
  GenerateOptions options;
  options.out_dir = again.path() + "/same";
  options.persons = kPersons;
  options.seed = 7;
  options.bad_rate = kBadRate;
  ASSERT_TRUE(Generate(DefaultFileSystem(), options).ok());
  options.out_dir = again.path() + "/other";
  options.seed = 8;
  ASSERT_TRUE(Generate(DefaultFileSystem(), options).ok());
  for (const char* file : kAllFiles) {
    std::string original = ReadFile(out_ + "/" + file);
    EXPECT_FALSE(original.empty()) << file;
    EXPECT_EQ(ReadFile(again.path() + "/same/" + file), original) << file;
    if (std::string_view(file) != "truth/summary.json" &&
        std::string_view(file) != "truth/bad_rows.csv") {
      EXPECT_NE(ReadFile(again.path() + "/other/" + file), original) << file;
    }
  }
}

TEST_F(GenerateTest, RefusesANonEmptyDirectoryAndBadOptions) {
  GenerateOptions options;
  options.out_dir = out_;
  options.persons = kPersons;
  EXPECT_EQ(Generate(DefaultFileSystem(), options).status().code(), StatusCode::kAlreadyExists);
  TempDir fresh;
  options.out_dir = fresh.path() + "/x";
  options.persons = 10;
  EXPECT_EQ(Generate(DefaultFileSystem(), options).status().code(), StatusCode::kInvalidArgument);
  options.persons = kPersons;
  options.bad_rate = 0.9;
  EXPECT_EQ(Generate(DefaultFileSystem(), options).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(options.out_dir));
}

TEST_F(GenerateTest, RowCountsMatchTheSummary) {
  for (const CsvSpec* spec : {&kBorder, &kVehicles, &kAccounts, &kTransactions}) {
    size_t lines = Lines(ReadFile(out_ + "/" + spec->file)).size();
    EXPECT_EQ(summary_["files"][spec->file]["rows"].get<size_t>(), lines - 1) << spec->file;
  }
  EXPECT_EQ(summary_["files"]["wanted/wanted.ndjson"]["rows"].get<size_t>(),
            Lines(ReadFile(out_ + "/wanted/wanted.ndjson")).size());
  json cases = json::parse(ReadFile(out_ + "/cases/cases.json"));
  EXPECT_EQ(summary_["files"]["cases/cases.json"]["rows"].get<size_t>(), cases["cases"].size());
  EXPECT_EQ(summary_["persons"].get<uint64_t>(), kPersons);
}

TEST_F(GenerateTest, BadCsvRowsAreExactlyWhereTheTruthSays) {
  for (const CsvSpec* spec : {&kBorder, &kVehicles, &kAccounts, &kTransactions}) {
    std::vector<CsvRow> rows = ClassifyCsv(out_, *spec);
    ExpectKindsMatchTruth(spec->file, Kinds(rows));
    // A small share, as asked for.
    EXPECT_GT(truth_bad_[spec->file].size(), 0u) << spec->file;
    EXPECT_LT(truth_bad_[spec->file].size(), rows.size() * kBadRate * 3 + 5) << spec->file;
  }
}

TEST_F(GenerateTest, BadJsonRecordsAreExactlyWhereTheTruthSays) {
  json cases = json::parse(ReadFile(out_ + "/cases/cases.json"));
  std::vector<std::pair<uint64_t, std::string>> found;
  for (size_t i = 0; i < cases["cases"].size(); ++i) {
    const json& c = cases["cases"][i];
    std::string kind;
    if (c["case_id"].get<std::string>().empty()) {
      kind = kMissingKey;
    } else if (!ValidDate(c["opened"], "YYYY-MM-DD")) {
      kind = kBadDate;
    }
    for (const json& s : c["suspects"]) {
      if (s.contains("date_of_birth") &&
          !ValidAnyDate(s["date_of_birth"], {"DD/MM/YYYY", "YYYY-MM-DD"})) {
        kind = kBadDate;
      }
    }
    found.emplace_back(i + 1, kind);
  }
  ExpectKindsMatchTruth("cases/cases.json", found);

  found.clear();
  std::vector<std::string> lines = Lines(ReadFile(out_ + "/wanted/wanted.ndjson"));
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string kind;
    if (!ValidUtf8(lines[i])) {
      kind = kInvalidUtf8;
    } else if (!json::accept(lines[i])) {
      kind = kTruncatedJson;
    } else {
      json n = json::parse(lines[i]);
      if (n["notice_id"].get<std::string>().empty()) {
        kind = kMissingKey;
      } else if (!ValidAnyDate(n["birth_date"], {"YYYY-MM-DD", "YYYY-MM", "YYYY"})) {
        kind = kBadDate;
      }
    }
    found.emplace_back(i + 1, kind);
  }
  ExpectKindsMatchTruth("wanted/wanted.ndjson", found);
}

TEST_F(GenerateTest, EveryIbanIsValidExceptThePlantedOnes) {
  size_t checked = 0;
  for (const CsvSpec* spec : {&kAccounts, &kTransactions}) {
    for (const CsvRow& row : ClassifyCsv(out_, *spec)) {
      if (row.fields.empty() || row.kind == kMissingKey) continue;
      for (size_t column : spec->ibans) {
        bool valid = IbanOk(row.fields[column]) && IbanChecksumValid(row.fields[column]);
        if (row.kind != kBadIban) {
          EXPECT_TRUE(valid) << spec->file << " row " << row.number;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, kPersons);
}

// Good records of every source, by source name: the keys their Person entities have.
std::map<std::string, std::set<std::string>> GoodPersonKeys(const std::string& out) {
  std::map<std::string, std::set<std::string>> keys;
  for (const CsvRow& r : ClassifyCsv(out, kBorder)) {
    if (r.kind.empty()) keys["border"].insert(r.fields[0]);
  }
  for (const CsvRow& r : ClassifyCsv(out, kVehicles)) {
    if (r.kind.empty() && r.fields[6] == "person") keys["vehicles"].insert(r.fields[0]);
  }
  for (const CsvRow& r : ClassifyCsv(out, kAccounts)) {
    if (r.kind.empty() && !r.fields[4].empty()) keys["fiu"].insert(r.fields[0]);
  }
  json cases = json::parse(ReadFile(out + "/cases/cases.json"));
  for (const json& c : cases["cases"]) {
    if (c["case_id"].get<std::string>().empty() || !ValidDate(c["opened"], "YYYY-MM-DD")) continue;
    bool bad = false;
    for (const json& s : c["suspects"]) {
      bad |= s.contains("date_of_birth") &&
             !ValidAnyDate(s["date_of_birth"], {"DD/MM/YYYY", "YYYY-MM-DD"});
    }
    if (bad) continue;
    for (const json& s : c["suspects"]) keys["cases"].insert(s["person_ref"]);
  }
  for (const std::string& line : Lines(ReadFile(out + "/wanted/wanted.ndjson"))) {
    if (!ValidUtf8(line) || !json::accept(line)) continue;
    json n = json::parse(line);
    if (n["notice_id"].get<std::string>().empty() ||
        !ValidAnyDate(n["birth_date"], {"YYYY-MM-DD", "YYYY-MM", "YYYY"})) {
      continue;
    }
    keys["wanted"].insert(n["notice_id"]);
  }
  return keys;
}

TEST_F(GenerateTest, TruthNamesThePersonBehindEveryGoodPersonRecord) {
  std::map<std::string, std::set<std::string>> truth;
  std::map<std::string, std::set<std::string>> people_per_key;
  std::set<std::string> people;
  for (const std::string& line : Lines(ReadFile(out_ + "/truth/persons.csv"))) {
    if (line.rfind("true_person_id", 0) == 0) continue;
    size_t a = line.find(','), b = line.find(',', a + 1);
    std::string person = line.substr(0, a), source = line.substr(a + 1, b - a - 1);
    std::string key = line.substr(b + 1);
    EXPECT_TRUE(truth[source].insert(key).second) << "twice: " << line;
    people.insert(person);
    int number = std::atoi(person.c_str() + 1);
    EXPECT_TRUE(person[0] == 'P' && number >= 1 && number <= static_cast<int>(kPersons)) << line;
  }
  EXPECT_EQ(truth, GoodPersonKeys(out_));
  // Most people appear somewhere, many in several systems.
  EXPECT_GT(people.size(), kPersons / 2);
  EXPECT_EQ(summary_["truth_person_records"].get<size_t>(),
            Lines(ReadFile(out_ + "/truth/persons.csv")).size() - 1);
}

// Entities per schema counted again with string sets, following the mappings in mappings/.
TEST_F(GenerateTest, EntityCountsMatchAnIndependentCount) {
  std::map<std::string, std::set<std::string>> border, vehicles, accounts, transactions, cases,
      wanted;
  for (const CsvRow& r : ClassifyCsv(out_, kBorder)) {
    if (!r.kind.empty()) continue;
    const auto& f = r.fields;
    border["Person"].insert(f[0]);
    border["BorderCrossing"].insert(f[0]);
    border[f[9] == "P" ? "Passport" : "Identification"].insert(f[11] + "|" + f[10]);
    if (!f[12].empty()) border["Vehicle"].insert(f[12]);
  }
  for (const CsvRow& r : ClassifyCsv(out_, kVehicles)) {
    if (!r.kind.empty()) continue;
    vehicles["Vehicle"].insert(r.fields[0]);
    if (r.fields[6] == "person") {
      vehicles["Person"].insert(r.fields[0]);
    } else {
      vehicles["Company"].insert(r.fields[8]);
    }
  }
  for (const CsvRow& r : ClassifyCsv(out_, kAccounts)) {
    if (!r.kind.empty()) continue;
    accounts["BankAccount"].insert(r.fields[0]);
    if (!r.fields[4].empty()) {
      accounts["Person"].insert(r.fields[0]);
    } else {
      accounts["Company"].insert(r.fields[5]);
    }
  }
  for (const CsvRow& r : ClassifyCsv(out_, kTransactions)) {
    if (!r.kind.empty()) continue;
    transactions["Payment"].insert(r.fields[0]);
    transactions["BankAccount"].insert(r.fields[4]);
    transactions["BankAccount"].insert(r.fields[6]);
  }
  std::set<std::string> good_refs = GoodPersonKeys(out_)["cases"];
  json doc = json::parse(ReadFile(out_ + "/cases/cases.json"));
  for (const json& c : doc["cases"]) {
    bool good = !c["case_id"].get<std::string>().empty() && ValidDate(c["opened"], "YYYY-MM-DD");
    for (const json& s : c["suspects"]) {
      good &= !s.contains("date_of_birth") ||
              ValidAnyDate(s["date_of_birth"], {"DD/MM/YYYY", "YYYY-MM-DD"});
    }
    if (!good) continue;
    cases["Case"].insert(c["case_id"]);
    for (const json& s : c["suspects"]) {
      cases["Person"].insert(s["person_ref"]);
      cases["CaseMembership"].insert(c["case_id"].get<std::string>() + "|" +
                                     s["person_ref"].get<std::string>());
    }
  }
  std::set<std::string> good_notices = GoodPersonKeys(out_)["wanted"];
  for (const std::string& line : Lines(ReadFile(out_ + "/wanted/wanted.ndjson"))) {
    if (!ValidUtf8(line) || !json::accept(line)) continue;
    json n = json::parse(line);
    if (!good_notices.count(n["notice_id"])) continue;
    wanted["Person"].insert(n["notice_id"]);
    for (const json& d : n["documents"]) {
      if (!d.contains("number")) continue;
      wanted[d["type"] == "passport" ? "Passport" : "Identification"].insert(
          d["country"].get<std::string>() + "|" + d["number"].get<std::string>());
    }
  }
  auto sizes = [](const std::map<std::string, std::set<std::string>>& sets) {
    std::map<std::string, uint64_t> out;
    for (const auto& [schema, set] : sets) out[schema] = set.size();
    return out;
  };
  EXPECT_EQ(Entities("border/crossings.csv"), sizes(border));
  EXPECT_EQ(Entities("vehicles/registry.csv"), sizes(vehicles));
  EXPECT_EQ(Entities("fiu/accounts.csv"), sizes(accounts));
  EXPECT_EQ(Entities("fiu/transactions.csv"), sizes(transactions));
  EXPECT_EQ(Entities("cases/cases.json"), sizes(cases));
  EXPECT_EQ(Entities("wanted/wanted.ndjson"), sizes(wanted));
  // One store: the two fiu files share the source name and the account key.
  std::set<std::string> all_accounts = accounts["BankAccount"];
  all_accounts.insert(transactions["BankAccount"].begin(), transactions["BankAccount"].end());
  EXPECT_EQ(summary_["entities_by_source"]["fiu"]["BankAccount"].get<size_t>(),
            all_accounts.size());
  EXPECT_EQ(summary_["entities_by_source"]["fiu"]["Payment"].get<size_t>(),
            transactions["Payment"].size());
  using Counts = std::map<std::string, uint64_t>;
  EXPECT_EQ(summary_["entities_by_source"]["border"].get<Counts>(), sizes(border));
}

struct Txn {
  std::string date, payer, beneficiary, currency;
  double amount;
};

int DayNumber(const std::string& iso) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{std::stoi(iso.substr(0, 4))},
                     std::chrono::month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                     std::chrono::day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  return sys_days{ymd}.time_since_epoch().count();
}

TEST_F(GenerateTest, LaunderingPatternsHaveTheirTypologysShape) {
  std::map<std::string, Txn> txns;
  for (const CsvRow& r : ClassifyCsv(out_, kTransactions)) {
    if (r.kind.empty()) {
      txns[r.fields[0]] = {r.fields[1], r.fields[4], r.fields[6], r.fields[3],
                           std::stod(r.fields[2])};
    }
  }
  std::map<std::string, std::pair<std::string, std::vector<Txn>>> patterns;
  for (const std::string& line : Lines(ReadFile(out_ + "/truth/laundering.csv"))) {
    if (line.rfind("pattern_id", 0) == 0) continue;
    size_t a = line.find(','), b = line.find(',', a + 1);
    std::string id = line.substr(0, a), typology = line.substr(a + 1, b - a - 1);
    ASSERT_TRUE(txns.count(line.substr(b + 1))) << line;
    patterns[id].first = typology;
    patterns[id].second.push_back(txns[line.substr(b + 1)]);
  }
  std::map<std::string, uint64_t> per_typology;
  size_t laundering = 0;
  for (const auto& [id, pattern] : patterns) {
    const auto& [typology, list] = pattern;
    ++per_typology[typology];
    laundering += list.size();
    std::set<std::string> payers, beneficiaries, accounts;
    int first = INT32_MAX, last = 0;
    for (const Txn& t : list) {
      payers.insert(t.payer);
      beneficiaries.insert(t.beneficiary);
      accounts.insert(t.payer);
      accounts.insert(t.beneficiary);
      first = std::min(first, DayNumber(t.date));
      last = std::max(last, DayNumber(t.date));
      EXPECT_NE(t.payer, t.beneficiary) << id;
      EXPECT_EQ(t.currency, "EUR") << id;
    }
    EXPECT_LE(last - first, 20) << id;
    SCOPED_TRACE(id + " " + typology);
    if (typology == "structuring") {
      EXPECT_EQ(beneficiaries.size(), 1u);
      EXPECT_GE(list.size(), 5u);
      EXPECT_LE(last - first, 10);
      for (const Txn& t : list) {
        EXPECT_LT(t.amount, 10000.0);
        EXPECT_GE(t.amount, 9500.0);
      }
      continue;
    }
    EXPECT_GE(accounts.size(), 5u);
    EXPECT_LE(accounts.size(), 10u);
    if (typology == "fan_out") {
      EXPECT_EQ(payers.size(), 1u);
      EXPECT_EQ(beneficiaries.size(), list.size());
    } else if (typology == "fan_in") {
      EXPECT_EQ(beneficiaries.size(), 1u);
      EXPECT_EQ(payers.size(), list.size());
    } else if (typology == "cycle") {
      // Every account pays once and is paid once; walking from the earliest payment, each
      // next hop is later and the walk comes back to the start.
      EXPECT_EQ(payers, accounts);
      EXPECT_EQ(beneficiaries, accounts);
      EXPECT_EQ(list.size(), accounts.size());
      std::map<std::string, Txn> from;
      for (const Txn& t : list) from[t.payer] = t;
      Txn at = *std::min_element(list.begin(), list.end(),
                                 [](const Txn& a, const Txn& b) { return a.date < b.date; });
      std::string start = at.payer;
      for (size_t hop = 1; hop < list.size(); ++hop) {
        Txn next = from[at.beneficiary];
        EXPECT_GT(DayNumber(next.date), DayNumber(at.date));
        at = next;
      }
      EXPECT_EQ(at.beneficiary, start);
    } else if (typology == "scatter_gather" || typology == "gather_scatter" ||
               typology == "stack") {
      std::set<std::string> middle;
      for (const std::string& a : accounts) {
        if (payers.count(a) && beneficiaries.count(a)) middle.insert(a);
      }
      int latest_in = 0, earliest_out = INT32_MAX;
      for (const Txn& t : list) {
        if (middle.count(t.beneficiary)) latest_in = std::max(latest_in, DayNumber(t.date));
        if (middle.count(t.payer)) earliest_out = std::min(earliest_out, DayNumber(t.date));
      }
      size_t sources = 0, sinks = 0;
      for (const std::string& a : accounts) {
        sources += payers.count(a) && !beneficiaries.count(a);
        sinks += beneficiaries.count(a) && !payers.count(a);
      }
      if (typology == "scatter_gather") {
        EXPECT_EQ(sources, 1u);
        EXPECT_EQ(sinks, 1u);
        EXPECT_EQ(list.size(), 2 * middle.size());
        // Each intermediary passes on what it got, after it got it.
        for (const std::string& m : middle) {
          std::string in_date, out_date;
          for (const Txn& t : list) {
            if (t.beneficiary == m) in_date = t.date;
            if (t.payer == m) out_date = t.date;
          }
          EXPECT_GE(out_date, in_date) << m;
        }
      } else if (typology == "gather_scatter") {
        EXPECT_EQ(middle.size(), 1u);  // the hub
        EXPECT_LT(latest_in, earliest_out);
        EXPECT_EQ(list.size(), accounts.size() - 1);
      } else {  // stack: layer 1 → layer 2 → layer 3, every pair, the second layer paid first
        EXPECT_EQ(list.size(), sources * middle.size() + middle.size() * sinks);
        EXPECT_LT(latest_in, earliest_out);
      }
    } else if (typology == "bipartite") {
      for (const std::string& a : payers) EXPECT_FALSE(beneficiaries.count(a));
      EXPECT_EQ(list.size(), payers.size() * beneficiaries.size());
    } else {
      ADD_FAILURE() << "unknown typology";
    }
  }
  using Counts = std::map<std::string, uint64_t>;
  EXPECT_EQ(per_typology, summary_["patterns"].get<Counts>());
  EXPECT_EQ(per_typology.size(), 8u);
  EXPECT_EQ(laundering, summary_["laundering_transactions"].get<size_t>());
  // A minority: at least two patterns of each typology make it about 6% of 2,000 people's
  // payments here; 0.8% at the default 20,000 and 0.4% at a million.
  EXPECT_LT(laundering, txns.size() / 10);
}

TEST_F(GenerateTest, VehicleRegistryIsWindows1250) {
  std::string raw = ReadFile(out_ + "/vehicles/registry.csv");
  auto decoded = FromWindows1250(raw);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_NE(raw.find('\xEB'), std::string::npos);      // ë in windows-1250
  EXPECT_EQ(raw.find("\xC3\xAB"), std::string::npos);  // not ë in UTF-8
  EXPECT_NE(decoded->find("ë"), std::string::npos);
  EXPECT_NE(decoded->find("Ç"), std::string::npos);
}

TEST_F(GenerateTest, GroupsAreSmallAndAboutFivePercentOfPeople) {
  std::map<std::string, std::vector<std::string>> roles;
  std::set<std::string> members;
  for (const std::string& line : Lines(ReadFile(out_ + "/truth/groups.csv"))) {
    if (line.rfind("group_id", 0) == 0) continue;
    size_t a = line.find(','), b = line.find(',', a + 1);
    roles[line.substr(0, a)].push_back(line.substr(b + 1));
    EXPECT_TRUE(members.insert(line.substr(a + 1, b - a - 1)).second) << "in two groups: " << line;
  }
  for (const auto& [group, list] : roles) {
    EXPECT_GE(list.size(), 3u) << group;
    EXPECT_LE(list.size(), 12u) << group;
    EXPECT_EQ(list[0], "organiser") << group;
  }
  EXPECT_EQ(summary_["groups"].get<size_t>(), roles.size());
  EXPECT_GE(members.size(), kPersons * 5 / 100);
  EXPECT_LE(members.size(), kPersons * 5 / 100 + 12);
}

TEST_F(GenerateTest, EachTravellerAlternatesBetweenLeavingAndEntering) {
  std::map<std::string, std::string> person_of;  // crossing id → true person
  for (const std::string& line : Lines(ReadFile(out_ + "/truth/persons.csv"))) {
    size_t a = line.find(','), b = line.find(',', a + 1);
    if (line.compare(a + 1, b - a - 1, "border") == 0)
      person_of[line.substr(b + 1)] = line.substr(0, a);
  }
  std::map<std::string, std::string> last_direction;
  size_t crossings = 0;
  for (const CsvRow& r : ClassifyCsv(out_, kBorder)) {  // the file is in time order
    if (!r.kind.empty()) continue;
    std::string& last = last_direction[person_of.at(r.fields[0])];
    EXPECT_NE(last, r.fields[2]) << "two " << r.fields[2] << " in a row: " << r.text;
    last = r.fields[2];
    ++crossings;
  }
  EXPECT_GT(crossings, kPersons);
}

TEST_F(GenerateTest, SourcesWriteNamesTheirOwnWay) {
  // Border: upper-case ASCII as from a passport reader.
  for (const CsvRow& r : ClassifyCsv(out_, kBorder)) {
    if (!r.kind.empty()) continue;
    for (size_t column : {4, 5}) {
      for (char c : r.fields[column]) EXPECT_TRUE((c >= 'A' && c <= 'Z') || c == ' ') << r.text;
    }
  }
  // Wanted: some names in Cyrillic (Serbian and Macedonian issuers).
  std::string wanted = ReadFile(out_ + "/wanted/wanted.ndjson");
  EXPECT_TRUE(wanted.find("\xD0") != std::string::npos || wanted.find("\xD1") != std::string::npos);
  // Cases: diacritics kept in some names, and the phone numbers are real ones.
  json doc = json::parse(ReadFile(out_ + "/cases/cases.json"));
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  size_t phones = 0, diacritics = 0;
  for (const json& c : doc["cases"]) {
    for (const json& s : c["suspects"]) {
      std::string name = s["full_name"];
      diacritics += name.find("ë") != std::string::npos || name.find("ç") != std::string::npos ||
                    name.find("ć") != std::string::npos;
      for (const json& p : s["phones"]) {
        PhoneNumber parsed;
        ASSERT_EQ(util->Parse(p.get<std::string>(), "AL", &parsed),
                  PhoneNumberUtil::NO_PARSING_ERROR)
            << p;
        EXPECT_TRUE(util->IsValidNumber(parsed)) << p;
        ++phones;
      }
    }
  }
  EXPECT_GT(phones, 100u);
  EXPECT_GT(diacritics, 10u);
}

}  // namespace
}  // namespace ura::generate
