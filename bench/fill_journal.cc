// ura_fill_journal: fills an existing store (made by `ura init --new-key-file F`) with
// incompressible entries until its journal holds at least --mib MiB, for bench/verify_bench.sh.
//
// Payloads are --payload-bytes (default 174) random bytes (a fixed-seed PRNG), so zstd
// never shrinks them and every entry frame is 48 + 12 + 174 + 16 = 250 bytes. With --hex
// the payloads are hex digits instead (zstd may then compress them: check the frame size
// this prints). Appends in batches of --batch (default 1,000) entries, one commit each.
//
//   ura_fill_journal --data DIR --key-file F [--mib 1100] [--payload-bytes 174]
//                    [--batch 1000] [--hex]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/format.h"
#include "journal/journal.h"

namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ura_fill_journal: %s\n", message.c_str());
  std::exit(1);
}

uint64_t JournalBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ura;
  std::string data, key_file;
  uint64_t mib = 1100, payload_bytes = 174, batch = 1000;
  bool hex = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--data") data = value();
    else if (a == "--key-file") key_file = value();
    else if (a == "--mib") mib = std::stoull(value());
    else if (a == "--payload-bytes") payload_bytes = std::stoull(value());
    else if (a == "--batch") batch = std::stoull(value());
    else if (a == "--hex") hex = true;
    else Die("unknown argument " + a +
             " (usage: --data DIR --key-file F [--mib N] [--payload-bytes N] [--batch N] [--hex])");
  }
  if (data.empty() || key_file.empty()) Die("--data and --key-file are required");
  if (payload_bytes == 0 || batch == 0) Die("--payload-bytes and --batch must be > 0");

  auto secret = journal::ReadKeyFile(DefaultFileSystem(), key_file);
  if (!secret.ok()) Die(secret.status().message());
  auto j = journal::Journal::OpenForWrite(data, *secret);
  if (!j.ok()) Die("opening " + data + ": " + j.status().message());
  const std::string journal_dir = (*j)->paths().journal_dir;

  // Estimated bytes per batch: raw entry frames plus one signed-head frame.
  const uint64_t frame = journal::kFrameHeaderSize + journal::kNonceSize + payload_bytes + journal::kTagSize;
  const uint64_t head_frame = journal::kFrameHeaderSize + journal::kHeadBodySize;
  const uint64_t target = mib << 20;
  uint64_t estimate = JournalBytes(journal_dir);

  uint64_t rng = 0x5EED0F0A11ull;
  auto next = [&rng] {
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  static const char kHex[] = "0123456789abcdef";
  std::vector<Bytes> payloads(batch, Bytes(payload_bytes));
  std::vector<journal::EntryInput> entries(batch);
  uint64_t appended = 0;
  auto start = std::chrono::steady_clock::now();
  while (estimate < target) {
    for (size_t k = 0; k < batch; ++k) {
      Bytes& p = payloads[k];
      for (size_t b = 0; b < p.size(); b += 8) {
        uint64_t r = next();
        for (size_t c = b; c < std::min(p.size(), b + 8); ++c, r >>= 8) {
          p[c] = hex ? static_cast<uint8_t>(kHex[r & 15]) : static_cast<uint8_t>(r);
        }
      }
      entries[k] = {journal::kEntryTypeRaw, ByteView(p)};
    }
    auto r = (*j)->Append(entries);
    if (!r.ok()) Die("append: " + r.status().message());
    appended += batch;
    estimate += batch * frame + head_frame;
    if ((appended / batch) % 1000 == 0) estimate = JournalBytes(journal_dir);  // re-sync
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t tree_size = (*j)->size();
  j->reset();
  const uint64_t bytes = JournalBytes(journal_dir);
  uint64_t segments = 0;
  for (const auto& e : std::filesystem::directory_iterator(journal_dir)) segments += e.is_regular_file();
  const uint64_t batches = (tree_size + batch - 1) / batch;
  const double frame_avg = double(bytes - batches * head_frame) / double(tree_size);
  std::printf("filled %s: %" PRIu64 " entries (%" PRIu64 " appended now) in %" PRIu64
              " segments, %" PRIu64 " bytes (%.1f MiB); %.1f bytes per entry frame on average "
              "(expected %" PRIu64 " if zstd kept them raw); %.1f s, %.0f entries/s\n",
              journal_dir.c_str(), tree_size, appended, segments, bytes, bytes / 1048576.0, frame_avg,
              frame, seconds, appended / seconds);
  return 0;
}
