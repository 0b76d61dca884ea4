// Shared by the benchmark programs in bench/: deterministic payloads, and a FileSystem
// wrapper that times (or skips) appends and syncs so a run can say how much of its time was
// fdatasync.
#pragma once

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/file_system.h"

namespace ura::bench {

[[noreturn]] inline void Die(const char* program, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program, message.c_str());
  std::exit(1);
}

// splitmix64: deterministic across runs and machines.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  template <size_t N>
  const char* Pick(const char* const (&list)[N]) { return list[Below(N)]; }
};

inline constexpr size_t kPayloadSize = 200;

// A JSON-like record of exactly kPayloadSize bytes: varied fields, then a free-text note
// that fills the remainder (so every record differs and zstd gets realistic input).
inline std::string MakePayload(uint64_t i, Rng& rng) {
  static const char* const kFirst[] = {
      "Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arlo", "Ruby", "Jack", "Aroha",
      "Nikau", "Mere", "Tane", "Priya", "Wei", "Sofia", "Mateo", "Fatima", "Yusuf", "Hana",
      "Kenji", "Olga", "Ivan", "Chloe", "Liam", "Grace", "Hemi", "Anahera", "Ravi", "Mei", "Omar"};
  static const char* const kLast[] = {
      "Smith", "Williams", "Brown", "Wilson", "Taylor", "Ngata", "Parata", "Te Rangi", "Patel",
      "Singh", "Chen", "Wang", "Nguyen", "Kim", "Martin", "Anderson", "Thompson", "Walker",
      "Tuhoe", "Horomona", "Kowalski", "Rossi", "Müller", "García", "Okafor", "Haddad"};
  static const char* const kSrc[] = {"border", "court", "field-report", "intel", "watchhouse",
                                     "customs", "firearms", "traffic", "informant", "partner-agency"};
  static const char* const kNat[] = {"NZL", "AUS", "GBR", "USA", "CHN", "IND", "FJI", "WSM",
                                     "TON", "PHL", "DEU", "FRA", "JPN", "KOR", "ZAF", "CAN"};
  static const char* const kWords[] = {
      "seen", "vehicle", "silver", "sedan", "near", "port", "arrived", "flight", "departed",
      "associate", "address", "changed", "phone", "reported", "stolen", "warrant", "checked",
      "cleared", "bail", "alias", "contact", "cash", "declared", "meeting", "observed"};
  char head[256];
  int n = std::snprintf(
      head, sizeof head,
      "{\"id\":\"p-%07" PRIu64 "\",\"name\":\"%s %s\",\"dob\":\"%04d-%02d-%02d\","
      "\"doc\":\"%c%c%07u\",\"nat\":\"%s\",\"src\":\"%s\",\"conf\":%u,\"note\":\"",
      i, rng.Pick(kFirst), rng.Pick(kLast), 1940 + int(rng.Below(66)), 1 + int(rng.Below(12)),
      1 + int(rng.Below(28)), char('A' + rng.Below(26)), char('A' + rng.Below(26)),
      unsigned(rng.Below(10000000)), rng.Pick(kNat), rng.Pick(kSrc), unsigned(rng.Below(100)));
  std::string p(head, static_cast<size_t>(n));
  const size_t tail = 2;  // "}
  while (p.size() + tail < kPayloadSize) {
    std::string w = rng.Below(4) == 0 ? std::to_string(rng.Below(100000)) : rng.Pick(kWords);
    if (p.back() != '"') w = " " + w;
    p += w.substr(0, kPayloadSize - tail - p.size());
  }
  p += "\"}";
  return p;
}

// Delegates to another FileSystem, timing WritableFile::Append and ::Sync; with
// skip_sync, Sync does nothing (to measure the CPU path of an append without the disk).
class TimingFileSystem : public FileSystem {
 public:
  explicit TimingFileSystem(FileSystem& base, bool skip_sync = false)
      : base_(base), skip_sync_(skip_sync) {}
  double append_seconds = 0;
  double sync_seconds = 0;
  uint64_t syncs = 0;

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode mode) override {
    URA_ASSIGN_OR_RETURN(auto f, base_.OpenWritable(path, mode));
    return std::unique_ptr<WritableFile>(new File(std::move(f), *this));
  }
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override {
    return base_.OpenReadable(path);
  }
  Status Rename(const std::string& from, const std::string& to) override { return base_.Rename(from, to); }
  Status Remove(const std::string& path) override { return base_.Remove(path); }
  Status CreateDir(const std::string& path) override { return base_.CreateDir(path); }
  Status SyncDir(const std::string& path) override {
    return skip_sync_ ? Status::Ok() : base_.SyncDir(path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override { return base_.ListDir(path); }
  bool Exists(const std::string& path) override { return base_.Exists(path); }
  Status MakeReadOnly(const std::string& path) override { return base_.MakeReadOnly(path); }

 private:
  using Clock = std::chrono::steady_clock;
  static double Since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }
  class File : public WritableFile {
   public:
    File(std::unique_ptr<WritableFile> f, TimingFileSystem& fs) : f_(std::move(f)), fs_(fs) {}
    Status Append(ByteView data) override {
      auto t = Clock::now();
      Status s = f_->Append(data);
      fs_.append_seconds += Since(t);
      return s;
    }
    Status Sync() override {
      if (fs_.skip_sync_) return Status::Ok();
      auto t = Clock::now();
      Status s = f_->Sync();
      fs_.sync_seconds += Since(t);
      ++fs_.syncs;
      return s;
    }
    Status Truncate(uint64_t size) override { return f_->Truncate(size); }
    uint64_t Size() const override { return f_->Size(); }
    const std::string& path() const override { return f_->path(); }

   private:
    std::unique_ptr<WritableFile> f_;
    TimingFileSystem& fs_;
  };
  FileSystem& base_;
  bool skip_sync_;
};

}  // namespace ura::bench
