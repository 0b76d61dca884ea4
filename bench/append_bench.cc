// ura_append_bench: durable appends, Ura vs SQLite, same payloads, same disk, same run.
//
// N deterministic 200-byte JSON-like payloads are appended in batches (default 1,000), one
// durable commit per batch:
//   - Ura:    journal::Journal::Append (one fdatasync per call), a fresh store locked with
//             a key file (no Argon2), default options (zstd level 1, 64 MiB segments);
//   - SQLite: its C API, table (seq INTEGER PRIMARY KEY, payload BLOB), journal_mode=WAL,
//             synchronous=FULL, one transaction per batch, one prepared INSERT with bound
//             parameters.
// Each system runs --reps times (default 3, interleaved: Ura, SQLite, Ura, ...) on a fresh
// store in a new directory under --dir (default /tmp); the median run of each is reported,
// with the ratio Ura/SQLite. Only the append loop is timed (not creating or opening the store).
//
//   ura_append_bench [--entries N] [--batch B] [--reps R] [--dir DIR] [--keep] [--only ura|sqlite]
// (--keep leaves the stores behind; --only runs one system, for profiling; --zstd-level sets
// JournalOptions::zstd_level, default 1 as in the Journal.) For Ura it also prints how much of
// the append time was write(2) and fdatasync(2).
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_common.h"
#include "crypto/secret.h"
#include "journal/journal.h"

namespace {

using Clock = std::chrono::steady_clock;
using ura::bench::kPayloadSize;

struct Flags {
  uint64_t entries = 200000;
  uint64_t batch = 1000;
  int reps = 3;
  std::string dir = "/tmp";
  bool keep = false;
  std::string only;  // "ura" or "sqlite": run one system (for profiling)
  int zstd_level = 1;  // JournalOptions::zstd_level (1 is the default)
};

[[noreturn]] void Die(const std::string& message) { ura::bench::Die("ura_append_bench", message); }

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--entries") {
      f.entries = std::stoull(value());
    } else if (a == "--batch") {
      f.batch = std::stoull(value());
    } else if (a == "--reps") {
      f.reps = std::stoi(value());
    } else if (a == "--dir") {
      f.dir = value();
    } else if (a == "--keep") {
      f.keep = true;
    } else if (a == "--zstd-level") {
      f.zstd_level = std::stoi(value());
    } else if (a == "--only") {
      f.only = value();
      if (f.only != "ura" && f.only != "sqlite") Die("--only takes ura or sqlite");
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: ura_append_bench [--entries N (200000)] [--batch B (1000)] "
                  "[--reps R (3)] [--dir DIR (/tmp)] [--keep] [--only ura|sqlite] [--zstd-level L (1)]\n");
      std::exit(0);
    } else {
      Die("unknown argument " + a);
    }
  }
  if (f.entries == 0 || f.batch == 0 || f.reps < 1) Die("--entries, --batch and --reps must be > 0");
  return f;
}

std::string MakeTempDir(const std::string& parent, const char* tag) {
  std::string templ = parent + "/ura-append-bench-" + tag + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) Die("mkdtemp in " + parent + " failed: " + std::strerror(errno));
  return buf.data();
}

uint64_t DiskBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

struct Run {
  double seconds = 0;
  uint64_t disk_bytes = 0;
  double write_seconds = 0;  // Ura only: in write(2) and fdatasync(2)
  double sync_seconds = 0;
};

Run RunUra(const Flags& f, const std::vector<std::string>& payloads) {
  using namespace ura;
  std::string tmp = MakeTempDir(f.dir, "ura");
  std::string store = tmp + "/store";
  journal::KeySecret secret;
  secret.kind = journal::KekKind::kKeyFile;
  secret.material = crypto::SecretBytes(32);
  crypto::RandomBytes(secret.material.data(), secret.material.size());
  auto meta = journal::Journal::Create(store, secret, crypto::Argon2Params{});
  if (!meta.ok()) Die("Journal::Create: " + meta.status().message());
  bench::TimingFileSystem timing(DefaultFileSystem());
  journal::JournalOptions options;
  options.fs = &timing;
  options.zstd_level = f.zstd_level;
  auto j = journal::Journal::OpenForWrite(store, secret, options);
  if (!j.ok()) Die("Journal::OpenForWrite: " + j.status().message());

  std::vector<journal::EntryInput> batch;
  batch.reserve(f.batch);
  auto start = Clock::now();
  for (size_t i = 0; i < payloads.size(); i += f.batch) {
    batch.clear();
    for (size_t k = i; k < std::min<size_t>(payloads.size(), i + f.batch); ++k) {
      batch.push_back({journal::kEntryTypeRaw, AsBytes(payloads[k])});
    }
    auto r = (*j)->Append(batch);
    if (!r.ok()) Die("Journal::Append: " + r.status().message());
  }
  Run run;
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if ((*j)->size() != payloads.size()) Die("journal size mismatch");
  run.write_seconds = timing.append_seconds;
  run.sync_seconds = timing.sync_seconds;
  j->reset();
  run.disk_bytes = DiskBytes(store + "/journal");
  if (!f.keep) std::filesystem::remove_all(tmp);
  return run;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string("sqlite ") + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "?";
    sqlite3_free(err);
    Die(std::string("sqlite ") + sql + ": " + message);
  }
}

std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, sql);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    if (t) out = reinterpret_cast<const char*>(t);
  }
  sqlite3_finalize(st);
  return out;
}

Run RunSqlite(const Flags& f, const std::vector<std::string>& payloads) {
  std::string tmp = MakeTempDir(f.dir, "sqlite");
  std::string path = tmp + "/bench.db";
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=FULL");
  if (QueryText(db, "PRAGMA journal_mode") != "wal" || QueryText(db, "PRAGMA synchronous") != "2") {
    Die("sqlite did not accept journal_mode=WAL, synchronous=FULL");
  }
  Exec(db, "CREATE TABLE entries (seq INTEGER PRIMARY KEY, payload BLOB)");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v2(db, "INSERT INTO entries (seq, payload) VALUES (?1, ?2)", -1, &insert, nullptr),
        db, "prepare");

  auto start = Clock::now();
  for (size_t i = 0; i < payloads.size(); i += f.batch) {
    Exec(db, "BEGIN");
    for (size_t k = i; k < std::min<size_t>(payloads.size(), i + f.batch); ++k) {
      Check(sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(k)), db, "bind seq");
      Check(sqlite3_bind_blob(insert, 2, payloads[k].data(), static_cast<int>(payloads[k].size()),
                              SQLITE_STATIC),
            db, "bind payload");
      Check(sqlite3_step(insert), db, "step");
      Check(sqlite3_reset(insert), db, "reset");
    }
    Exec(db, "COMMIT");
  }
  Run run;
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(insert);
  run.disk_bytes = DiskBytes(tmp);  // before close: the WAL is still there
  Check(sqlite3_close(db), nullptr, "close");
  if (!f.keep) std::filesystem::remove_all(tmp);
  return run;
}

Run Median(std::vector<Run> runs) {
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  return runs[runs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv);
  ura::bench::Rng rng{42};
  std::vector<std::string> payloads;
  payloads.reserve(f.entries);
  for (uint64_t i = 0; i < f.entries; ++i) payloads.push_back(ura::bench::MakePayload(i, rng));

  std::printf("ura_append_bench: %" PRIu64 " entries of %zu bytes, batches of %" PRIu64
              " (one durable commit each), %d reps, dir %s, Ura zstd level %d, SQLite %s\n",
              f.entries, kPayloadSize, f.batch, f.reps, f.dir.c_str(), f.zstd_level,
              sqlite3_libversion());
  std::printf("sample payload: %s\n", payloads[0].c_str());
  std::vector<Run> ura_runs, sqlite_runs;
  for (int r = 0; r < f.reps; ++r) {
    if (f.only != "sqlite") {
      ura_runs.push_back(RunUra(f, payloads));
      const Run& u = ura_runs.back();
      std::printf("  rep %d  ura     %8.3f s  %10.0f entries/s  (write %.3f s, fdatasync %.3f s)\n",
                  r + 1, u.seconds, f.entries / u.seconds, u.write_seconds, u.sync_seconds);
    }
    if (f.only != "ura") {
      sqlite_runs.push_back(RunSqlite(f, payloads));
      std::printf("  rep %d  sqlite  %8.3f s  %10.0f entries/s\n", r + 1, sqlite_runs.back().seconds,
                  f.entries / sqlite_runs.back().seconds);
    }
    std::fflush(stdout);
  }
  if (!f.only.empty()) return 0;
  Run u = Median(ura_runs);
  Run s = Median(sqlite_runs);
  const double mb = double(f.entries) * kPayloadSize / 1e6;
  const double ura_rate = f.entries / u.seconds;
  const double sqlite_rate = f.entries / s.seconds;
  std::printf("\n%-8s %10s %14s %14s %14s\n", "median", "seconds", "entries/s", "payload MB/s",
              "on-disk bytes");
  std::printf("%-8s %10.3f %14.0f %14.1f %14" PRIu64 "   (write %.3f s, fdatasync %.3f s)\n",
              "ura", u.seconds, ura_rate, mb / u.seconds, u.disk_bytes, u.write_seconds,
              u.sync_seconds);
  std::printf("%-8s %10.3f %14.0f %14.1f %14" PRIu64 "\n", "sqlite", s.seconds, sqlite_rate,
              mb / s.seconds, s.disk_bytes);
  std::printf("ratio ura/sqlite (entries/s): %.2fx   goal: >= 3x and >= 500000 entries/s -> %s\n",
              ura_rate / sqlite_rate,
              (ura_rate / sqlite_rate >= 3.0 && ura_rate >= 500000) ? "met" : "NOT met");
  return 0;
}
