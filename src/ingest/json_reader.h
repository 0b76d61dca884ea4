// JSON sources: NDJSON (one object per line; a bad line is quarantined and reading goes on)
// and one JSON document whose records are the elements of an array at a dotted path
// (streamed with nlohmann/json's parser callback, so memory does not grow with the file; a
// syntax error ends the file there, after the records before it).
#pragma once

#include <memory>
#include <string>

#include "ingest/record.h"

namespace ura::ingest {

struct JsonOptions {
  std::string records_path;            // json only: "" = the document is the array
  std::string encoding = "utf-8";
  size_t max_record_bytes = 4u << 20;  // NDJSON line limit
  int max_depth = 64;                  // deeper nesting is rejected (a nesting bomb)
};

Result<std::unique_ptr<RecordReader>> OpenNdjsonReader(const std::string& path, const JsonOptions& options);
Result<std::unique_ptr<RecordReader>> OpenJsonArrayReader(const std::string& path, const JsonOptions& options);

}  // namespace ura::ingest
