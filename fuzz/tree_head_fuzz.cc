// libFuzzer target for signed-head JSON (src/journal/tree_head.h), the format of
// `ura head --json` and of the --trusted-head file.
//
// Properties: parsing never crashes or throws; a head that parses serialises to JSON that
// parses back to the same head; signature checking accepts any parsed head without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "journal/tree_head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura::journal;
  auto head = ParseHeadJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!head.ok()) return 0;
  auto again = ParseHeadJson(HeadToJson(*head));
  if (!again.ok()) std::abort();
  if (again->store_id != head->store_id || again->tree_size != head->tree_size ||
      again->root != head->root || again->timestamp_us != head->timestamp_us ||
      again->key_id != head->key_id || again->signature != head->signature ||
      again->public_key != head->public_key) {
    std::abort();
  }
  VerifyHeadSignature(*head).IgnoreError();
  return 0;
}
