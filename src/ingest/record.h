// A record read from a source export, before mapping: a CSV row (column name -> text) or a
// JSON value. Mapping paths look values up in it; `Lookup` flattens arrays along a JSON path.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ura::ingest {

struct Record {
  uint64_t row = 0;          // 1-based data row (CSV: header not counted) or record index
  uint64_t line = 0;         // 1-based physical line where the record starts (0 if unknown)
  uint64_t byte_offset = 0;  // where the record starts in the file (0 if unknown)
  std::string raw;           // the record's text (for the quarantine file)

  // CSV: values aligned with `columns` (shared by all rows of a file).
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<std::string> fields;
  // JSON / NDJSON.
  std::optional<nlohmann::json> json;

  // Values at `path`: a CSV column name, or a dotted JSON path ("address.city"); arrays on
  // the way contribute every element; null and empty strings are skipped; numbers and
  // booleans are given as their JSON text.
  std::vector<std::string> Lookup(std::string_view path) const;
  // True if the CSV header has the column (JSON: always true).
  bool HasColumn(std::string_view name) const;
};

// The text values at a dotted path inside a JSON value, as Record::Lookup gives them.
std::vector<std::string> LookupJson(const nlohmann::json& value, std::string_view path);

// Values at a dotted path inside a JSON value (shared by Record::Lookup and `each`).
void CollectJsonPath(const nlohmann::json& value, std::string_view path,
                     std::vector<const nlohmann::json*>& out);

// A record that could not be read: it goes to the quarantine file.
struct BadRecord {
  uint64_t row = 0;
  uint64_t line = 0;
  uint64_t byte_offset = 0;
  std::string raw;  // as read (bytes that are not UTF-8 are kept; the writer escapes them)
  std::string reason;
};

// Streams records from one file. Not thread-safe.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  struct Item {
    std::optional<Record> record;
    std::optional<BadRecord> bad;
  };
  // Returns the next good or bad record, or nullopt at the end. A non-OK status means the
  // file cannot be read any further (I/O error, or a JSON document broken beyond recovery);
  // what was returned before stays valid.
  virtual Result<std::optional<Item>> Next() = 0;
  // Bytes consumed so far (for progress).
  virtual uint64_t bytes_read() const = 0;
};

}  // namespace ura::ingest
