// libFuzzer target for the segment reader (src/journal/segment_scan.h, format.h): the input
// is the bytes of a segment file.
//
// Properties:
//   - decoding, scanning and validation never crash, whatever the bytes;
//   - a frame the scanner accepts re-encodes to exactly its header bytes (the round trip of
//     EncodeFrameHeader / DecodeFrameHeader), and its body checksum matches;
//   - a scan that ends cleanly has consumed exactly the input;
//   - a segment header that decodes re-encodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "journal/format.h"
#include "journal/journal_reader.h"
#include "journal/segment_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ura::journal;
  ura::ByteView input(data, size);
  size_t header_len = 0;
  auto header = DecodeSegmentHeader(input, &header_len);
  uint64_t start = 0;
  if (header.ok()) {
    ura::Bytes again = EncodeSegmentHeader(*header);
    if (again.size() != header_len || std::memcmp(again.data(), data, header_len) != 0) std::abort();
    start = header_len;
  }
  uint64_t consumed = start;
  auto scanned = ScanFrames(input, start, [&](const ScannedFrame& f) {
    uint8_t encoded[kFrameHeaderSize];
    EncodeFrameHeader(f.header, encoded);
    if (std::memcmp(encoded, f.bytes.data(), kFrameHeaderSize) != 0) std::abort();
    if (Checksum32(f.body) != f.header.body_checksum) std::abort();
    if (f.offset != consumed) std::abort();
    consumed += f.bytes.size();
    return ura::Status::Ok();
  });
  if (!scanned.ok()) std::abort();  // the callback never fails
  if (scanned->end == ScanEnd::kClean && consumed != size) std::abort();

  if (header.ok()) {
    uint8_t public_key[32] = {};
    SegmentIdentity id{header->store_id, ura::ByteView(public_key, 32), 1};
    auto state = ChainStateFromHeader(*header);
    if (state.ok()) {
      ValidateSegment(input, "fuzz", header->segment_index, id, *state).status().IgnoreError();
    }
    PrepareSegment(input, id);
  }
  return 0;
}
