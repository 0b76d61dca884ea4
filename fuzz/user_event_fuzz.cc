// libFuzzer target for user events (src/access/users.h), the payload of journal entries of
// type 48 that every command reading the users replays.
//
// Properties: decoding never crashes or throws; an event that decodes encodes to the same
// bytes (the decoder refuses anything that is not canonical) and applies to a directory
// without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "access/users.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura::access;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto event = DecodeUserEvent(text);
  if (!event.ok()) return 0;
  if (EncodeUserEvent(*event) != text) std::abort();
  UserDirectory users;
  users.Apply(*event).IgnoreError();
  return 0;
}
