// libFuzzer target for stored entity versions (model::ParseEntityJson), the payload of journal
// entries of type 16 that the index, the dossier's history and every rebuild parse.
//
// Properties: parsing never crashes or throws; an entity that parses writes canonical JSON
// that parses back to the same canonical JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/entity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura::model;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entity = ParseEntityJson(text);
  if (!entity.ok()) return 0;
  const std::string canonical = CanonicalJson(*entity);
  auto again = ParseEntityJson(canonical);
  if (!again.ok() || CanonicalJson(*again) != canonical) std::abort();
  return 0;
}
