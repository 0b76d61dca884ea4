// libFuzzer target for mapping files (src/ingest/mapping.h): any bytes as YAML. Properties:
// never crashes or throws; an error always names the file ("m.yml:"); a mapping that loads
// has at least one query with at least one entity, each with a schema and keys.
#include <cstdlib>
#include <string_view>

#include "ingest/mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = ura::ingest::ParseMapping(text, "m.yml", ura::model::SchemaRegistry::Builtin());
  if (!m.ok()) {
    if (m.status().message().rfind("m.yml:", 0) != 0) std::abort();
    return 0;
  }
  if (m->queries.empty()) std::abort();
  for (const auto& q : m->queries) {
    if (q.entities.empty()) std::abort();
    for (const auto& e : q.entities) {
      if (e.schema == nullptr || e.keys.empty()) std::abort();
    }
  }
  return 0;
}
