// Incremental entity resolution (issue 7, point 6): the time to match one new Person record
// against a resolved store, as an ingest does it (resolve::MatchNewRecords), p50/p95/p99.
//
//   ura_incremental_bench --data COPY_OF_STORE --key-file K [--records N] [--seed S]
//
// Each new record is an existing Person's copy under a new id, one letter of its name changed
// (a typo) or not, applied to the index as the ingest's writer applies it, then matched. The
// store must have had `ura resolve` run. It WRITES TO THE INDEX of the store given without a
// journal entry (the next `ura` command rebuilds the index): give it a copy.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "cli/store_session.h"
#include "index/sqlite/sqlite_index.h"
#include "journal/keys.h"
#include "resolve/incremental.h"
#include "resolve/record.h"

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "ura_incremental_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, key_file;
  size_t records = 1000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) data = argv[i + 1];
    else if (!std::strcmp(argv[i], "--key-file")) key_file = argv[i + 1];
    else if (!std::strcmp(argv[i], "--records")) records = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::stoull(argv[i + 1]);
    else return Fail(std::string("unknown option ") + argv[i]);
  }
  if (data.empty() || key_file.empty()) return Fail("usage: --data COPY_OF_STORE --key-file K [--records N]");
  using namespace ura;
  FileSystem& fs = DefaultFileSystem();
  journal::StorePaths paths(data);
  auto secret = journal::ReadKeyFile(fs, key_file);
  if (!secret.ok()) return Fail(secret.status().message());
  auto keyring = journal::Keyring::Unlock(fs, paths, *secret);
  if (!keyring.ok()) return Fail(keyring.status().message());
  auto key = cli::IndexKey(**keyring);
  if (!key.ok()) return Fail(key.status().message());
  auto opened = index::SqliteIndex::Open(index::IndexPath(paths), key->view(), resolve::IndexedBlockingKeys());
  if (!opened.ok()) return Fail(opened.status().message() + " (run any `ura` command on the store first)");
  index::SqliteIndex& idx = **opened;
  auto model = resolve::LoadIncrementalModel(idx);
  if (!model.ok() || !*model) return Fail("no resolution run in this store: run `ura resolve` first");
  // The records copied: `records` Person entities drawn at random (a reservoir over the index's
  // records, so that a store of 10M is not held in memory), read whole.
  std::mt19937_64 rng(seed);
  std::vector<std::string> sample;
  uint64_t seen = 0;
  auto scanned = idx.ScanKeyedRecords([&](std::string_view bytes) -> Status {
    URA_ASSIGN_OR_RETURN(resolve::PersonRecord r, resolve::DecodeRecord(bytes));
    if (sample.size() < records) {
      sample.push_back(std::move(r.id));
    } else if (const uint64_t k = rng() % (seen + 1); k < records) {
      sample[k] = std::move(r.id);
    }
    ++seen;
    return Status::Ok();
  });
  if (!scanned.ok()) return Fail(scanned.message());
  if (sample.empty()) return Fail("no Person records in this store");
  std::vector<model::Entity> persons;
  for (const std::string& id : sample) {
    auto e = idx.Get(id);
    if (!e.ok() || !e->has_value()) return Fail("cannot read " + id);
    persons.push_back(std::move(**e));
  }
  std::printf("store %s: %llu Person records, model of %s\n", data.c_str(), static_cast<unsigned long long>(seen),
              (*model)->run_id.c_str());
  std::deque<model::Entity> made;
  std::deque<std::string> json;
  std::vector<double> ms;
  uint64_t joined = 0, compared = 0;
  uint64_t sequence = idx.applied_size();
  for (size_t i = 0; i < records; ++i) {
    model::Entity e = persons[i % persons.size()];
    e.id = "bench-new-" + std::to_string(i);
    if (i % 2 == 1) {  // a typo in every other one
      for (auto& v : e.properties["name"]) {
        // An ASCII letter (not a byte of a multi-byte character) becomes another.
        std::vector<size_t> letters;
        for (size_t k = 1; k < v.value.size(); ++k) {
          if (std::isalpha(static_cast<unsigned char>(v.value[k])) && static_cast<unsigned char>(v.value[k]) < 0x80) {
            letters.push_back(k);
          }
        }
        if (!letters.empty()) v.value[letters[rng() % letters.size()]] = 'x';
      }
    }
    made.push_back(e);
    json.push_back(model::CanonicalJson(made.back()));
    if (auto s = idx.Apply({{sequence, &made.back(), json.back()}}, {}, sequence + 1, {}); !s.ok()) return Fail(s.message());
    ++sequence;
    const auto start = std::chrono::steady_clock::now();
    auto r = resolve::MatchNewRecords(idx, {e.id}, **model, 0);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!r.ok()) return Fail(r.status().message());
    joined += r->joined;
    compared += r->candidates;
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))]; };
  std::printf("%zu new records matched one at a time: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms; "
              "%llu joined a person, %.1f pairs compared per record\n",
              ms.size(), pct(0.50), pct(0.95), pct(0.99), ms.back(), static_cast<unsigned long long>(joined),
              static_cast<double>(compared) / ms.size());
  return 0;
}
