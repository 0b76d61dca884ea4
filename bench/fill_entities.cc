// ura_fill_entities: writes N synthetic Person entity versions (bench/bench_people.h) into the
// journal of an existing store (made by `ura init --new-key-file F`), in batches of 5,000, for
// bench/reindex_bench.sh; also writes their names to NAMES.csv (id,name) for the SQLite peer.
//
//   ura_fill_entities --data DIR --key-file F --count N --names NAMES.csv
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench_people.h"
#include "index/index.h"
#include "journal/journal.h"

namespace {
[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ura_fill_entities: %s\n", message.c_str());
  std::exit(1);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace ura;
  std::string data, key_file, names_file;
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--data") data = value();
    else if (a == "--key-file") key_file = value();
    else if (a == "--count") count = std::stoull(value());
    else if (a == "--names") names_file = value();
    else Die("unknown argument " + a + " (usage: --data DIR --key-file F --count N --names FILE)");
  }
  if (data.empty() || key_file.empty() || names_file.empty() || count == 0) Die("all arguments are required");
  auto secret = journal::ReadKeyFile(DefaultFileSystem(), key_file);
  if (!secret.ok()) Die(secret.status().message());
  auto j = journal::Journal::OpenForWrite(data, *secret);
  if (!j.ok()) Die("opening " + data + ": " + j.status().message());
  std::ofstream names(names_file, std::ios::trunc);
  names << "id,name\n";
  generate::Random rng(2026);
  auto start = std::chrono::steady_clock::now();
  const size_t batch = 5000;
  std::vector<std::string> payloads;
  std::vector<journal::EntryInput> entries;
  for (size_t first = 0; first < count; first += batch) {
    payloads.clear();
    entries.clear();
    for (size_t i = first; i < std::min(count, first + batch); ++i) {
      std::string name;
      payloads.push_back(model::CanonicalJson(bench::BenchPerson(i, rng, &name)));
      names << "p" << i << ",\"" << name << "\"\n";
    }
    for (const std::string& p : payloads) entries.push_back({index::kEntryTypeEntityVersion, AsBytes(p)});
    auto r = (*j)->Append(entries);
    if (!r.ok()) Die("append: " + r.status().message());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("wrote %zu Person entity versions in %.1f s\n", count, seconds);
  return names ? 0 : 1;
}
