// A progress line on a terminal (stderr): done/total, rate, time left; nothing when stderr is
// not a terminal or the output is --json.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/cli.h"

namespace ura::cli {

class Progress {
 public:
  Progress(Context& ctx, std::string label)
      : enabled_(!ctx.json && ctx.err == &std::cerr && ::isatty(STDERR_FILENO)), label_(std::move(label)),
        start_(std::chrono::steady_clock::now()) {}
  // `done` of `total` units of work (bytes, entries); `rows` counted for the rate.
  void Update(uint64_t done, uint64_t total, uint64_t rows) {
    if (!enabled_) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = secs > 0 ? rows / secs : 0;
    double frac = total ? double(done) / double(total) : 0;
    double eta = frac > 0.001 ? secs * (1 - frac) / frac : 0;
    std::fprintf(stderr, "\r%s: %5.1f%%  %llu rows  %.0f rows/s  ETA %.0fs   ", label_.c_str(), frac * 100,
                 static_cast<unsigned long long>(rows), rate, eta);
    std::fflush(stderr);
  }
  void Done() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ura::cli
