// ura_match_bench: anonymised hit/no-hit (src/exchange/match.h) against plain, unkeyed exact
// matching of the same keys, same run.
//
// N synthetic match keys ("i:" + a 10-character identifier, "n:" + two name tokens + "|" + a
// birth date) are put in a filter for a partner; M keys, half of them among the N, are then
// matched:
//   - Ura:   BuildFilter (HMAC-SHA256 per key, sort, pad, sign), DecodeFilter (verify the
//            signature), FilterMatcher::Create (X25519 + HKDF), Hit per key (HMAC + binary search);
//   - plain: the same keys in a std::unordered_set<std::string>, looked up as they are (what a
//            force would do with the partner's list in clear -- no privacy at all).
// Each step is timed once per --reps (default 3); the median is reported, with the ratio.
//
//   ura_match_bench [--keys N] [--queries M] [--reps R]     (defaults 1,000,000 and 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench_common.h"
#include "exchange/match.h"

namespace {

using Steady = std::chrono::steady_clock;

double Seconds(Steady::time_point since) { return std::chrono::duration<double>(Steady::now() - since).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string Key(uint64_t i) {
  ura::bench::Rng rng{i * 7919 + 1};
  char buf[64];
  if (i % 2 == 0) {
    std::snprintf(buf, sizeof buf, "i:%010llu", static_cast<unsigned long long>(rng.Below(10000000000ull)));
  } else {
    std::snprintf(buf, sizeof buf, "n:name%05llu surname%05llu|19%02llu-%02llu-%02llu",
                  static_cast<unsigned long long>(rng.Below(20000)), static_cast<unsigned long long>(rng.Below(50000)),
                  static_cast<unsigned long long>(rng.Below(100)), static_cast<unsigned long long>(1 + rng.Below(12)),
                  static_cast<unsigned long long>(1 + rng.Below(28)));
  }
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ura;
  size_t keys = 1000000, queries = 1000000, reps = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--keys")) keys = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--queries")) queries = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--reps")) reps = std::strtoull(argv[i + 1], nullptr, 10);
    else bench::Die(argv[0], std::string("unknown option ") + argv[i]);
  }
  std::vector<std::string> filter_keys, query_keys;
  for (size_t i = 0; i < keys; ++i) filter_keys.push_back(Key(i));
  // Half of the queries are in the filter, half are not.
  for (size_t i = 0; i < queries; ++i) query_keys.push_back(i % 2 == 0 ? Key(i % keys) : Key(keys + i));
  const exchange::Identity a = exchange::NewIdentity(), b = exchange::NewIdentity();

  std::vector<double> build_s, open_s, match_s, plain_build_s, plain_match_s;
  size_t hits = 0, plain_hits = 0, bytes = 0;
  for (size_t r = 0; r < reps; ++r) {
    auto t = Steady::now();
    auto file = exchange::BuildFilter(filter_keys, a, b.bundle(), 0);
    if (!file.ok()) bench::Die(argv[0], file.status().message());
    build_s.push_back(Seconds(t));
    bytes = file->size();
    t = Steady::now();
    auto filter = exchange::DecodeFilter(*file);
    if (!filter.ok()) bench::Die(argv[0], filter.status().message());
    auto matcher = exchange::FilterMatcher::Create(*filter, b);
    if (!matcher.ok()) bench::Die(argv[0], matcher.status().message());
    open_s.push_back(Seconds(t));
    t = Steady::now();
    hits = 0;
    for (const std::string& q : query_keys) hits += matcher->Hit({q}) ? 1 : 0;
    match_s.push_back(Seconds(t));

    t = Steady::now();
    std::unordered_set<std::string> plain(filter_keys.begin(), filter_keys.end());
    plain_build_s.push_back(Seconds(t));
    t = Steady::now();
    plain_hits = 0;
    for (const std::string& q : query_keys) plain_hits += plain.contains(q) ? 1 : 0;
    plain_match_s.push_back(Seconds(t));
  }
  const double build = Median(build_s), open = Median(open_s), match = Median(match_s);
  const double plain_build = Median(plain_build_s), plain_match = Median(plain_match_s);
  std::printf("keys %zu, queries %zu, filter %zu bytes, reps %zu (medians)\n", keys, queries, bytes, reps);
  std::printf("ura    build filter %.3f s   open+verify %.4f s   match %.3f s (%.0f keys/s)   hits %zu\n", build, open,
              match, queries / match, hits);
  std::printf("plain  build set    %.3f s                       match %.3f s (%.0f keys/s)   hits %zu\n", plain_build,
              plain_match, queries / plain_match, plain_hits);
  std::printf("ratio ura/plain: build %.1fx, match %.1fx\n", build / plain_build, match / plain_match);
  return hits == plain_hits ? 0 : 1;
}
