// libFuzzer target for what Ura reads from a partner force (src/exchange): package bodies,
// the signed and compressed content inside a package's sealed box, whole package files and
// hit/no-hit filter files. The first byte picks the layer: 'b' body, 's' signed content,
// 'p' package file (for a fixed recipient), 'f' filter.
//
// Properties: nothing crashes, throws or allocates past the caps; a body that decodes encodes
// to the same bytes (only canonical bodies are accepted), and an opened package's body bytes
// are exactly those its signature covers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exchange/match.h"
#include "exchange/package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura;
  using namespace ura::exchange;
  if (size == 0) return 0;
  const ByteView rest(data + 1, size - 1);
  switch (data[0]) {
    case 'b': {
      auto body = DecodeBody(AsString(rest));
      if (body.ok()) {
        auto again = EncodeBody(*body);
        if (!again.ok() || *again != AsString(rest)) std::abort();
      }
      break;
    }
    case 's': {
      auto opened = OpenSignedContent(rest);
      if (opened.ok() && *EncodeBody(opened->body) != opened->body_bytes) std::abort();
      break;
    }
    case 'p': {
      static const Identity self = IdentityFromSeeds(Bytes(64, 0xb0)).value();
      OpenPackage(rest, self).status().IgnoreError();
      break;
    }
    case 'f': {
      auto filter = DecodeFilter(rest);
      if (filter.ok() && filter->tags.size() > kMaxFilterTags) std::abort();
      break;
    }
    default:
      break;
  }
  return 0;
}
