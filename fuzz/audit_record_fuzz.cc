// libFuzzer target for audit records (src/audit/audit.h), the payload of journal entries of
// type 32 that `ura audit` decodes.
//
// Properties: decoding never crashes or throws; a record that decodes encodes to canonical
// JSON that decodes again to a record encoding to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura::audit;
  auto record = DecodeRecord(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!record.ok()) return 0;
  const std::string canonical = EncodeRecord(*record);
  auto again = DecodeRecord(canonical);
  if (!again.ok() || EncodeRecord(*again) != canonical) std::abort();
  CheckJustification(record->justification).IgnoreError();
  return 0;
}
