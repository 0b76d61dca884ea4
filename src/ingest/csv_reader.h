// CSV records through libcsv (strict mode), with recovery: a record with broken quoting, the
// wrong number of fields, bytes that are not valid text, or a field over the limit is
// returned as a BadRecord and reading goes on with the next record. An opening quote that
// never closes is found by a cap on how many lines one record may span; the first line is
// then quarantined and the lines after it are read again.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ingest/record.h"

namespace ura::ingest {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  bool header = true;
  std::vector<std::string> columns;  // when header is false
  std::string encoding = "utf-8";
  size_t max_field_bytes = 1u << 20;   // 1 MiB
  size_t max_record_bytes = 4u << 20;  // 4 MiB
  size_t max_record_lines = 64;        // lines one quoted record may span
};

// kInvalidArgument for bad options or an unreadable header, kNotFound etc. for the file.
Result<std::unique_ptr<RecordReader>> OpenCsvReader(const std::string& path, const CsvOptions& options);

}  // namespace ura::ingest
