// libFuzzer target for the CSV reader (src/ingest/csv_reader.h).
// Properties: never crashes or hangs; every good record has exactly as many fields as the
// header; every bad record has a reason; row numbers increase by one; a second read of the
// same bytes gives the same records (the reader is deterministic).
#include <cstdlib>

#include "fuzz_file.h"
#include "ingest/csv_reader.h"

namespace {
std::string Digest(const std::string& path, char delimiter) {
  ura::ingest::CsvOptions o;
  o.delimiter = delimiter;
  o.max_field_bytes = 4096;
  o.max_record_bytes = 16384;
  auto reader = ura::ingest::OpenCsvReader(path, o);
  if (!reader.ok()) return "error";
  std::string out;
  uint64_t last_row = 0;
  while (true) {
    auto next = (*reader)->Next();
    if (!next.ok() || !*next) break;
    const auto& item = **next;
    uint64_t row = item.record ? item.record->row : item.bad->row;
    if (row != last_row + 1) std::abort();
    last_row = row;
    if (item.record) {
      if (item.record->fields.size() != item.record->columns->size()) std::abort();
      for (const auto& f : item.record->fields) out += f + '\x1f';
      out += '\x1e';
    } else {
      if (item.bad->reason.empty()) std::abort();
      out += "bad:" + item.bad->reason + '\x1e';
    }
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzFile file(data, size);
  for (char delimiter : {',', ';'}) {
    if (Digest(file.path(), delimiter) != Digest(file.path(), delimiter)) std::abort();
  }
  return 0;
}
