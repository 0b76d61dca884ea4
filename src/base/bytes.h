// Byte buffers, little-endian fixed-width encoding and hex, used by every persisted format.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ura {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsString(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

inline void PutU16(uint8_t* p, uint16_t v) { p[0] = uint8_t(v); p[1] = uint8_t(v >> 8); }
inline void PutU32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
inline void PutU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}
inline uint16_t GetU16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
inline uint32_t GetU32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline uint64_t GetU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

inline void AppendU32(Bytes& out, uint32_t v) {
  size_t n = out.size();
  out.resize(n + 4);
  PutU32(out.data() + n, v);
}
inline void AppendU64(Bytes& out, uint64_t v) {
  size_t n = out.size();
  out.resize(n + 8);
  PutU64(out.data() + n, v);
}
inline void AppendBytes(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

// Lower-case hex encoding.
std::string HexEncode(ByteView data);
// Decodes hex (either case). Fails on odd length or a non-hex character, naming its position.
Result<Bytes> HexDecode(std::string_view hex);

// True if `s` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF);
// otherwise `bad_at` (if given) is the offset of the first invalid byte.
bool IsValidUtf8(std::string_view s, size_t* bad_at = nullptr);

}  // namespace ura
