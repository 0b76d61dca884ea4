// ura_verify_floor: where the time of a keyless `ura verify` goes, one component at a time,
// on one thread, against SHA-256 of the same bytes in one stream (what `openssl dgst`
// computes). For bench/verify_bench.sh and bench/RESULTS.md.
//
// Every segment file of DIR/journal is first read into memory (untimed, except the "read"
// line), then each component is timed on its own over all of them (best of --reps, default 3):
//   read          ReadWholeFile of every segment (page cache -> fresh buffers), as verify does
//   sha256-stream SHA-256 of each file's bytes in one stream (the openssl dgst work)
//   leaf-hashes   RFC 9162 leaf hash SHA-256(0x00 || frame) of every entry frame
//   node-hashes   MerkleFrontier::Append of those leaves (the interior nodes) + Root per head
//   merkle-floor  leaf-hashes + node-hashes: the SHA-256 work verify cannot avoid
//   scan-checksum ScanFrames with a no-op callback (frame header decode, XXH3 checksums)
//   head-sigs     Ed25519 verification of every signed head
//   prepare       PrepareSegment (the look-ahead task of verify: leaf hashes, subtree roots,
//                 head signatures)
//   validate      ValidateSegment with those prepared segments (the serial part of verify)
//   verify-1t     VerifyJournal(threads = 1), in process (includes reading)
// and alternatives that show what changes to src/ would gain (not what verify does today):
//   read-reuse    the same files read with pread into one reused buffer (no zero-fill, no
//                 fresh pages per segment)
//
//   ura_verify_floor --data DIR [--reps 3]
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/signature.h"
#include "journal/journal_reader.h"
#include "journal/segment_scan.h"
#include "journal/verify.h"

namespace {

using namespace ura;
using namespace ura::journal;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ura_verify_floor: %s\n", message.c_str());
  std::exit(1);
}

double BestOf(int reps, const std::function<void()>& fn) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

volatile uint8_t g_sink;  // keeps results alive


}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) data_dir = argv[++i];
    else if (a == "--reps" && i + 1 < argc) reps = std::stoi(argv[++i]);
    else Die("usage: ura_verify_floor --data DIR [--reps N]");
  }
  if (data_dir.empty()) Die("--data is required");
  FileSystem& fs = DefaultFileSystem();
  StorePaths paths(data_dir);
  auto meta = LoadStoreMeta(fs, paths);
  if (!meta.ok()) Die(meta.status().message());
  auto segments = ListSegments(fs, paths.journal_dir);
  if (!segments.ok()) Die(segments.status().message());

  std::vector<Bytes> files;
  uint64_t total = 0;
  for (const auto& s : *segments) {
    auto d = ReadWholeFile(fs, s.path);
    if (!d.ok()) Die(d.status().message());
    total += d->size();
    files.push_back(std::move(*d));
  }
  // Frame positions, untimed.
  std::vector<ByteView> leaves_in;
  struct Head {
    uint64_t size;
    int64_t ts;
    Hash256 root;
    ByteView sig;
    uint32_t key_id;
  };
  std::vector<Head> heads;
  std::vector<size_t> heads_after;  // leaves_in.size() when each head was seen
  for (const Bytes& f : files) {
    size_t header_len = 0;
    if (!DecodeSegmentHeader(f, &header_len).ok()) Die("bad segment header");
    auto scanned = ScanFrames(f, header_len, [&](const ScannedFrame& fr) {
      if (fr.header.kind == FrameKind::kEntry) {
        leaves_in.push_back(fr.bytes);
      } else {
        Head h{fr.header.sequence, fr.header.timestamp_us, {}, fr.body.subspan(32, 64), fr.header.key_id};
        std::copy_n(fr.body.data(), 32, h.root.begin());
        heads.push_back(h);
        heads_after.push_back(leaves_in.size());
      }
      return Status::Ok();
    });
    if (!scanned.ok()) Die(scanned.status().message());
  }
  std::vector<Hash256> leaf_hashes(leaves_in.size());
  for (size_t i = 0; i < leaves_in.size(); ++i) leaf_hashes[i] = crypto::MerkleLeafHash(leaves_in[i]);
  uint64_t frame_bytes = 0;
  for (auto l : leaves_in) frame_bytes += l.size();
  std::printf("journal %s: %zu segments, %" PRIu64 " bytes, %zu entry frames (%.1f bytes avg), %zu signed heads\n",
              paths.journal_dir.c_str(), files.size(), total, leaves_in.size(),
              double(frame_bytes) / double(leaves_in.size()), heads.size());

  struct Line {
    std::string name;
    double seconds;
  };
  std::vector<Line> lines;
  auto add = [&](const std::string& name, double s) {
    lines.push_back({name, s});
    std::fflush(stdout);
  };

  add("read", BestOf(reps, [&] {
        for (const auto& s : *segments) {
          auto d = ReadWholeFile(fs, s.path);
          g_sink = d.ok() && !d->empty() ? (*d)[0] : 0;
        }
      }));
  add("read-reuse", BestOf(reps, [&] {
        Bytes buf;
        for (const auto& s : *segments) {
          auto f = fs.OpenReadable(s.path);
          if (!f.ok()) Die(f.status().message());
          if (buf.size() < (*f)->Size()) buf.resize((*f)->Size());
          auto n = (*f)->ReadAt(0, (*f)->Size(), buf.data());
          g_sink = n.ok() && *n > 0 ? buf[0] : 0;
        }
      }));
  add("sha256-stream", BestOf(reps, [&] {
        for (const Bytes& f : files) {
          crypto::Sha256Hasher h;
          h.Update(f);
          g_sink = h.Final()[0];
        }
      }));
  add("leaf-hashes", BestOf(reps, [&] {
        uint8_t x = 0;
        for (ByteView l : leaves_in) x ^= crypto::MerkleLeafHash(l)[0];
        g_sink = x;
      }));
  auto nodes = [&] {
    MerkleFrontier fr;
    size_t next_head = 0;
    uint8_t x = 0;
    for (size_t i = 0; i <= leaf_hashes.size(); ++i) {
      while (next_head < heads.size() && heads_after[next_head] == i) {
        x ^= fr.Root()[0];
        ++next_head;
      }
      if (i < leaf_hashes.size()) fr.Append(leaf_hashes[i]);
    }
    g_sink = x;
  };
  add("node-hashes", BestOf(reps, nodes));
  add("merkle-floor", BestOf(reps, [&] {
        MerkleFrontier fr;
        for (ByteView l : leaves_in) fr.Append(crypto::MerkleLeafHash(l));
        g_sink = fr.Root()[0];
      }));
  add("scan-checksum", BestOf(reps, [&] {
        uint64_t n = 0;
        for (const Bytes& f : files) {
          size_t header_len = 0;
          (void)DecodeSegmentHeader(f, &header_len);
          auto r = ScanFrames(f, header_len, [&](const ScannedFrame&) {
            ++n;
            return Status::Ok();
          });
          (void)r;
        }
        g_sink = uint8_t(n);
      }));
  add("head-sigs", BestOf(reps, [&] {
        bool all = true;
        for (const Head& h : heads) {
          Bytes m = HeadMessage(meta->store_id, h.size, h.ts, h.root, h.key_id);
          all &= crypto::VerifyEd25519(meta->signing_public_key, m, h.sig);
        }
        if (!all) Die("a head signature does not verify");
      }));
  std::vector<PreparedSegment> per_segment(files.size());
  add("prepare", BestOf(reps, [&] {
        SegmentIdentity id{meta->store_id, meta->signing_public_key, meta->signing_key_id};
        for (size_t i = 0; i < files.size(); ++i) per_segment[i] = PrepareSegment(files[i], id);
      }));
  add("validate", BestOf(reps, [&] {
        SegmentIdentity id{meta->store_id, meta->signing_public_key, meta->signing_key_id};
        ChainState state;
        for (size_t i = 0; i < files.size(); ++i) {
          auto v = ValidateSegment(files[i], (*segments)[i].path, (*segments)[i].index, id, state, {},
                                   &per_segment[i]);
          if (!v.ok()) Die(v.status().message());
        }
      }));
  add("verify-1t", BestOf(reps, [&] {
        VerifyOptions o;
        o.threads = 1;
        auto r = VerifyJournal(fs, paths, *meta, o);
        if (!r.ok() || !r->intact) Die("verify failed");
      }));

  double stream = 0;
  for (const Line& l : lines) stream = l.name == "sha256-stream" ? l.seconds : stream;
  std::printf("\n%-22s %9s %9s %16s\n", "component (1 thread)", "seconds", "GB/s", "x sha256-stream");
  for (const Line& l : lines) {
    std::printf("%-22s %9.3f %9.2f %16.2f\n", l.name.c_str(), l.seconds, total / l.seconds / 1e9,
                l.seconds / stream);
  }
  // SHA-256 compression-function calls: a message of n bytes takes ceil((n + 9) / 64).
  auto blocks = [](uint64_t n) { return (n + 9 + 63) / 64; };
  uint64_t merkle_blocks = 0;
  for (ByteView l : leaves_in) merkle_blocks += blocks(l.size() + 1) + blocks(65);
  uint64_t stream_blocks = 0;
  for (const Bytes& f : files) stream_blocks += blocks(f.size());
  std::printf("\nSHA-256 blocks: stream %" PRIu64 ", Merkle leaves+nodes %" PRIu64 " (%.2fx)\n",
              stream_blocks, merkle_blocks, double(merkle_blocks) / double(stream_blocks));
  return 0;
}
