// Random: the generator's only source of randomness, a std::mt19937_64 whose raw output is
// turned into integers, choices and coin flips by code in this file. The standard library's
// distributions (uniform_int_distribution, shuffle ...) are implementation-defined, so they are
// not used: the same seed gives the same bytes with any compiler and standard library.
//
// Not thread-safe; each generation phase owns its own Random, derived from the run's seed
// with `Random::ForPhase`, so that changing one source's logic leaves the others unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace ura::generate {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // A stream for one phase of a run: the seed mixed with the phase's name (SplitMix64 over
  // an FNV-1a hash of the name), so phases never share a stream.
  static Random ForPhase(uint64_t seed, const char* phase) {
    uint64_t h = 1469598103934665603ull;
    for (const char* p = phase; *p != '\0'; ++p) h = (h ^ uint8_t(*p)) * 1099511628211ull;
    return Random(SplitMix64(seed ^ h));
  }

  static uint64_t SplitMix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }

  uint64_t Next() { return engine_(); }

  // Uniform in [0, n); n must be > 0. Rejection sampling keeps it unbiased.
  uint64_t Uniform(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }

  // Uniform in [lo, hi], both inclusive; lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // True with probability p.
  bool Chance(double p) { return Unit() < p; }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Uniform(items.size())];
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(items.size())];
  }

  // An index drawn with the given non-negative integer weights (not all zero).
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t x = Uniform(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

  // Fisher-Yates.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      size_t j = Uniform(i);
      std::swap(items[i - 1], items[j]);
    }
  }

  // 1 + a geometric count: each further step taken with probability `more`, at most `cap`.
  int CountWithTail(double more, int cap) {
    int n = 1;
    while (n < cap && Chance(more)) ++n;
    return n;
  }

 private:
  std::mt19937_64 engine_;
};

// A bijection on [0, n) for n <= 2^40, used to turn a running index into a unique but
// random-looking number (document numbers, phones, plates): a keyed 4-round Feistel network
// on the smallest even number of bits covering n, with cycle-walking back into range.
class Permutation {
 public:
  Permutation(uint64_t n, uint64_t key) : n_(n), key_(key) {
    int bits = 2;
    while ((uint64_t{1} << bits) < n) bits += 2;
    half_bits_ = bits / 2;
    mask_ = (uint64_t{1} << half_bits_) - 1;
  }
  uint64_t operator()(uint64_t x) const {
    do {
      x = Round(x);
    } while (x >= n_);
    return x;
  }

 private:
  uint64_t Round(uint64_t x) const {
    uint64_t left = x >> half_bits_, right = x & mask_;
    for (uint64_t r = 0; r < 4; ++r) {
      uint64_t f = Random::SplitMix64(right ^ (key_ + r * 0x9e3779b97f4a7c15ull)) & mask_;
      uint64_t next = left ^ f;
      left = right;
      right = next;
    }
    return (left << half_bits_) | right;
  }
  uint64_t n_, key_;
  int half_bits_;
  uint64_t mask_;
};

}  // namespace ura::generate
