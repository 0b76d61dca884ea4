// ura_append_breakdown: the CPU cost per entry of each step of Journal::Append, on the same
// 200-byte payloads as ura_append_bench, one thread, best of --reps (default 3). Explains
// the append figures in bench/RESULTS.md:
//   zstd-l1            ZSTD_compressCCtx level 1, one call per payload, as EntryCodec does
//   zstd-l<N>          the same at other levels (JournalOptions::zstd_level)
//   zstd-l1-dict       level 1 with an 8 KiB dictionary trained on 5,000 other payloads of
//                      the same generator (a format change; optimistic on synthetic data)
//   aead-seal          crypto::Aead::Seal (ChaCha20-Poly1305) of a payload, 40-byte AAD
//   aes256gcm-seal     the same EVP call sequence with AES-256-GCM (a format alternative)
//   xxh3 x3            Checksum32 of the body and twice of the 44 header bytes
//   leaf-hash          crypto::MerkleLeafHash of a 250-byte frame
//   node-hash          crypto::MerkleNodeHash (one interior node per entry, amortised)
//   node-hash-lowlevel the same 65 bytes through SHA256_Init/Update/Final
//   encode             EntryCodec::Encode (zstd + AEAD + checksums + allocations)
//   append-nosync      Journal::Append in batches with fdatasync skipped (CPU path)
//   append             Journal::Append in batches (as ura_append_bench)
//
//   ura_append_breakdown [--entries N (200000)] [--batch B (1000)] [--reps R (3)] [--dir /tmp]
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <vector>

#include "bench_common.h"
#include "crypto/aead.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"
#include "journal/entry_codec.h"
#include "journal/format.h"
#include "journal/journal.h"

namespace {

using namespace ura;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& m) { bench::Die("ura_append_breakdown", m); }

double BestOf(int reps, const std::function<void()>& fn) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    auto t = Clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t).count());
  }
  return best;
}

volatile uint64_t g_sink;

std::string MakeTempDir(const std::string& parent) {
  std::string templ = parent + "/ura-append-breakdown-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) Die("mkdtemp failed");
  return buf.data();
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t entries = 200000, batch = 1000;
  int reps = 3;
  std::string dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) Die("usage: ura_append_breakdown [--entries N] [--batch B] [--reps R] [--dir DIR]");
    if (a == "--entries") entries = std::stoull(argv[++i]);
    else if (a == "--batch") batch = std::stoull(argv[++i]);
    else if (a == "--reps") reps = std::stoi(argv[++i]);
    else if (a == "--dir") dir = argv[++i];
    else Die("unknown argument " + a);
  }
  bench::Rng rng{42};
  std::vector<std::string> payloads;
  for (uint64_t i = 0; i < entries; ++i) payloads.push_back(bench::MakePayload(i, rng));

  struct Line {
    std::string name;
    double seconds;
    std::string note;
  };
  std::vector<Line> lines;

  // zstd, one call per payload with a reused context, as EntryCodec::Encode.
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  Bytes out(ZSTD_compressBound(bench::kPayloadSize));
  // Times `compress` (returning the compressed size, or an error code) over every payload;
  // a payload that does not shrink is stored as it is, as EntryCodec::Encode does.
  auto measure = [&](const std::string& name, auto compress) {
    uint64_t compressed = 0, kept = 0;
    double s = BestOf(reps, [&] {
      compressed = kept = 0;
      for (const auto& p : payloads) {
        size_t n = compress(p);
        if (ZSTD_isError(n)) Die(name + ": " + ZSTD_getErrorName(n));
        if (n < p.size()) {
          compressed += n;
          ++kept;
        } else {
          compressed += p.size();
        }
      }
    });
    char note[128];
    std::snprintf(note, sizeof note, "avg %.1f bytes stored, %.0f%% compressed",
                  double(compressed) / entries, 100.0 * kept / entries);
    lines.push_back({name, s, note});
  };
  for (int level : {1, -1, -5, 3}) {
    measure("zstd-l" + std::to_string(level), [&](const std::string& p) {
      return ZSTD_compressCCtx(cctx, out.data(), out.size(), p.data(), p.size(), level);
    });
  }
  {
    bench::Rng train_rng{7};
    std::string samples;
    std::vector<size_t> sizes;
    for (int i = 0; i < 5000; ++i) {
      std::string p = bench::MakePayload(1000000 + i, train_rng);
      samples += p;
      sizes.push_back(p.size());
    }
    std::vector<char> dict(8192);
    size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), samples.data(), sizes.data(),
                                     static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(n)) Die(std::string("ZDICT_trainFromBuffer: ") + ZDICT_getErrorName(n));
    ZSTD_CDict* cdict = ZSTD_createCDict(dict.data(), n, 1);
    measure("zstd-l1-dict", [&](const std::string& p) {
      return ZSTD_compress_usingCDict(cctx, out.data(), out.size(), p.data(), p.size(), cdict);
    });
    ZSTD_freeCDict(cdict);
  }
  ZSTD_freeCCtx(cctx);

  {
    Bytes key = crypto::RandomBytes(crypto::kAeadKeySize);
    auto aead = crypto::Aead::Create(key);
    if (!aead.ok()) Die("aead");
    uint8_t nonce[12] = {};
    uint8_t aad[40] = {};
    Bytes ct;
    ct.reserve(512);
    lines.push_back({"aead-seal", BestOf(reps, [&] {
                       uint64_t seq = 0;
                       for (const auto& p : payloads) {
                         PutU64(nonce + 4, ++seq);
                         ct.clear();
                         if (!(*aead)->Seal(ByteView(nonce, 12), ByteView(aad, 40), AsBytes(p), ct).ok())
                           Die("seal");
                       }
                     }), "200-byte plaintext"});
  }
  {
    Bytes key = crypto::RandomBytes(32);
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (!cipher || !ctx || EVP_EncryptInit_ex2(ctx, cipher, key.data(), nullptr, nullptr) != 1) Die("aes-gcm");
    uint8_t nonce[12] = {};
    uint8_t aad[40] = {};
    Bytes ct(512);
    lines.push_back({"aes256gcm-seal", BestOf(reps, [&] {
                       uint64_t seq = 0;
                       int len = 0;
                       for (const auto& p : payloads) {
                         PutU64(nonce + 4, ++seq);
                         if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce, nullptr) != 1 ||
                             EVP_EncryptUpdate(ctx, nullptr, &len, aad, 40) != 1 ||
                             EVP_EncryptUpdate(ctx, ct.data(), &len, reinterpret_cast<const uint8_t*>(p.data()),
                                               int(p.size())) != 1 ||
                             EVP_EncryptFinal_ex(ctx, ct.data() + len, &len) != 1 ||
                             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, ct.data() + p.size()) != 1)
                           Die("aes-gcm seal");
                       }
                     }), "same EVP call sequence"});
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
  }
  // 250-byte frames for the hashing lines.
  std::vector<Bytes> frames(entries, Bytes(250));
  for (uint64_t i = 0; i < entries; ++i) {
    std::copy(payloads[i].begin(), payloads[i].end(), frames[i].begin() + 30);
  }
  lines.push_back({"xxh3 x3", BestOf(reps, [&] {
                     uint64_t x = 0;
                     for (const auto& f : frames) {
                       x += journal::Checksum32(ByteView(f).subspan(48));
                       x += journal::Checksum32(ByteView(f).first(44));
                       x += journal::Checksum32(ByteView(f).first(44));
                     }
                     g_sink = x;
                   }), ""});
  lines.push_back({"leaf-hash", BestOf(reps, [&] {
                     uint64_t x = 0;
                     for (const auto& f : frames) x += crypto::MerkleLeafHash(f)[0];
                     g_sink = x;
                   }), "250-byte frame"});
  crypto::Hash256 a{}, b{};
  a[0] = 1;
  lines.push_back({"node-hash", BestOf(reps, [&] {
                     for (uint64_t i = 0; i < entries; ++i) {
                       b = crypto::MerkleNodeHash(a, b);
                     }
                     g_sink = b[0];
                   }), "SHA256() one-shot"});
  lines.push_back({"node-hash-lowlevel", BestOf(reps, [&] {
                     uint8_t buf[65];
                     buf[0] = 1;
                     for (uint64_t i = 0; i < entries; ++i) {
                       std::copy(a.begin(), a.end(), buf + 1);
                       std::copy(b.begin(), b.end(), buf + 33);
                       SHA256_CTX ctx;
                       SHA256_Init(&ctx);
                       SHA256_Update(&ctx, buf, 65);
                       SHA256_Final(b.data(), &ctx);
                     }
                     g_sink = b[0];
                   }), "SHA256_Init/Update/Final"});

  // EntryCodec::Encode and Journal::Append need a store.
  std::string tmp = MakeTempDir(dir);
  journal::KeySecret secret;
  secret.kind = journal::KekKind::kKeyFile;
  secret.material = crypto::SecretBytes(32);
  crypto::RandomBytes(secret.material.data(), 32);
  {
    std::string store = tmp + "/codec";
    if (!journal::Journal::Create(store, secret, crypto::Argon2Params{}).ok()) Die("create");
    auto keyring = journal::Keyring::Unlock(DefaultFileSystem(), journal::StorePaths(store), secret);
    if (!keyring.ok()) Die("unlock");
    journal::EntryCodec codec(**keyring, 1);
    Bytes buf;
    lines.push_back({"encode", BestOf(reps, [&] {
                       uint64_t seq = 0;
                       for (const auto& p : payloads) {
                         if (seq % batch == 0) buf.clear();
                         if (!codec.Encode((*keyring)->active_data_key_id(), 1, seq++, 1, 1, AsBytes(p), buf).ok())
                           Die("encode");
                       }
                     }), "EntryCodec::Encode (no zstd below 512 bytes)"});
  }
  for (bool skip_sync : {true, false}) {
    int run = 0;
    double sync_s = 0;
    lines.push_back({skip_sync ? "append-nosync" : "append", BestOf(reps, [&] {
                       std::string store = tmp + "/j" + std::to_string(skip_sync) + "-" + std::to_string(run++);
                       if (!journal::Journal::Create(store, secret, crypto::Argon2Params{}).ok()) Die("create");
                       bench::TimingFileSystem fs(DefaultFileSystem(), skip_sync);
                       journal::JournalOptions o;
                       o.fs = &fs;
                       auto j = journal::Journal::OpenForWrite(store, secret, o);
                       if (!j.ok()) Die("open");
                       std::vector<journal::EntryInput> in;
                       for (size_t i = 0; i < payloads.size(); i += batch) {
                         in.clear();
                         for (size_t k = i; k < std::min<size_t>(payloads.size(), i + batch); ++k)
                           in.push_back({journal::kEntryTypeRaw, AsBytes(payloads[k])});
                         if (!(*j)->Append(in).ok()) Die("append");
                       }
                       sync_s = fs.sync_seconds;
                     }), ""});
    if (!skip_sync) {
      char note[96];
      std::snprintf(note, sizeof note, "of which fdatasync %.3f s (last rep)", sync_s);
      lines.back().note = note;
    } else {
      lines.back().note = "write(2) but no fdatasync";
    }
  }
  std::filesystem::remove_all(tmp);

  std::printf("ura_append_breakdown: %" PRIu64 " payloads of %zu bytes, best of %d, one thread\n\n",
              entries, bench::kPayloadSize, reps);
  std::printf("%-20s %9s %12s %14s  %s\n", "step", "seconds", "ns/entry", "entries/s", "");
  for (const Line& l : lines) {
    std::printf("%-20s %9.3f %12.0f %14.0f  %s\n", l.name.c_str(), l.seconds, l.seconds / entries * 1e9,
                entries / l.seconds, l.note.c_str());
  }
  return 0;
}
