// libFuzzer target for the JSON readers (src/ingest/json_reader.h): NDJSON and a JSON
// document with records at "items". Properties: never crashes, hangs or recurses without
// bound (nesting bombs); every good record is a JSON object; bad records have a reason.
#include <cstdlib>

#include "fuzz_file.h"
#include "ingest/json_reader.h"

namespace {
void Drain(ura::Result<std::unique_ptr<ura::ingest::RecordReader>> reader) {
  if (!reader.ok()) return;
  for (int i = 0; i < 100000; ++i) {
    auto next = (*reader)->Next();
    if (!next.ok() || !*next) return;
    const auto& item = **next;
    if (item.record && !item.record->json->is_object()) std::abort();
    if (item.bad && item.bad->reason.empty()) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzFile file(data, size);
  ura::ingest::JsonOptions o;
  o.max_record_bytes = 65536;
  Drain(ura::ingest::OpenNdjsonReader(file.path(), o));
  o.records_path = "items";
  Drain(ura::ingest::OpenJsonArrayReader(file.path(), o));
  o.records_path = "";
  Drain(ura::ingest::OpenJsonArrayReader(file.path(), o));
  return 0;
}
