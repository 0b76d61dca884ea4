// Clock: where Ura reads the time. Passed in, never global, so tests control time.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace ura {

// Thread-safe. Microseconds since the Unix epoch (UTC).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMicros() = 0;
};

// The system's real-time clock. Stateless; one instance may be shared.
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() override;
};

// A clock tests set by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros) : now_(start_micros) {}
  int64_t NowMicros() override { return now_.load(); }
  void Set(int64_t micros) { now_.store(micros); }
  void Advance(int64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<int64_t> now_;
};

// Formats microseconds since the epoch as RFC 3339 UTC, e.g. "2026-11-29T09:18:39.123456Z".
std::string FormatRfc3339(int64_t micros);

}  // namespace ura
