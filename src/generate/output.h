// Output plumbing for the generator: buffered files over the FileSystem seam, CSV lines (and
// the deliberately broken ones planted for quarantine tests), and the tally of entity ids a
// correct ingest makes from the good rows.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "generate/random.h"

namespace ura::generate {

// A file written through a 1 MiB buffer. The first write error is kept and returned by
// Close(); later writes are dropped. Not thread-safe.
class OutputFile {
 public:
  // Creates `path`; fails with kAlreadyExists if it exists.
  static Result<std::unique_ptr<OutputFile>> Create(FileSystem& fs, const std::string& path);
  void Write(std::string_view data);
  Status Close();
  uint64_t bytes() const { return bytes_; }

 private:
  explicit OutputFile(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  void Flush();
  std::unique_ptr<WritableFile> file_;
  std::string buffer_;
  Status status_;
  uint64_t bytes_ = 0;
};

// Distinct entity ids per schema, computed the way the ingest does (docs/mappings.md): from
// the source name, the entity alias, the key literal and the key values. Ids are kept as
// 128-bit hashes of those NUL-separated parts. Not thread-safe.
class EntityTally {
 public:
  void Add(std::string_view schema, std::string_view source, std::string_view alias,
           std::initializer_list<std::string_view> keys, std::string_view key_literal = "");
  // Sorts and removes duplicates; call before Counts or MergeInto.
  void Finish();
  // Distinct ids per schema (over all sources).
  std::map<std::string, uint64_t> Counts() const;
  // Distinct ids per source, then schema: what `ura export` of the store holds.
  std::map<std::string, std::map<std::string, uint64_t>> CountsBySource() const;
  void MergeInto(EntityTally& total) const;

 private:
  // (source, schema) → ids.
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<uint64_t, uint64_t>>> ids_;
};

// What one written file holds, for truth/summary.json.
struct FileStats {
  std::string path;   // relative to the output directory: "border/crossings.csv"
  uint64_t rows = 0;  // data rows (CSV without the header), records (JSON) or lines (NDJSON)
  uint64_t bad_rows = 0;
  std::map<std::string, uint64_t> bad_by_kind;
  std::map<std::string, uint64_t> entities;
};

struct BadRow {
  std::string file;
  uint64_t row;  // 1-based data row / record / line
  std::string kind;
};

// Kinds of planted bad rows (names as in truth/bad_rows.csv).
inline constexpr const char* kUnbalancedQuote = "unbalanced_quote";
inline constexpr const char* kWrongColumnCount = "wrong_column_count";
inline constexpr const char* kInvalidUtf8 = "invalid_utf8";
inline constexpr const char* kBadDate = "bad_date";
inline constexpr const char* kBadIban = "bad_iban";
inline constexpr const char* kMissingKey = "missing_key";
inline constexpr const char* kTruncatedJson = "truncated_json";

// Joins fields into one CSV line (with '\n'), quoting where needed.
std::string CsvLine(const std::vector<std::string>& fields, char delimiter);

// Broken CSV lines. Each is broken in exactly one way; the exact bytes:
//  - BrokenQuoteLine: field `index` written as `"HEAD"TAIL""` (HEAD up to and including the
//    first space, or the first half): a quoted field whose closing quote is followed by more
//    text. The line holds an even number of quotes, so readers that resynchronise at the
//    next line end lose only this row.
//  - WrongColumnCountLine: the last field dropped, or an extra field appended.
//  - Invalid UTF-8 is planted with InvalidUtf8Field (a truncated or overlong sequence
//    inserted at a character boundary) and written with CsvLine.
std::string BrokenQuoteLine(const std::vector<std::string>& fields, size_t index, char delimiter);
std::string WrongColumnCountLine(std::vector<std::string> fields, char delimiter, Random& random);
std::string InvalidUtf8Field(std::string_view value, Random& random);

// An impossible calendar date (31 February, 31 April, day 32, month 13, 29 February in a
// common year ...) in `layout` (calendar.h tokens).
std::string BadDate(const char* layout, Random& random);

}  // namespace ura::generate
