// Search latency at scale: N generated persons (Balkan and Turkish names from the generator's
// catalogue, with diacritics, a passport number and a birth date) in Ura's index (sealed, as
// in a store) and, in the same run, the same names in a plain SQLite FTS5 table
// (unicode61, remove_diacritics 2). Queries: a person's name with one keyboard typo, the way
// a witness statement gets typed. Prints p50/p99 of Ura's search, of a plain FTS5 MATCH of the
// same typed query, and of a plain FTS5 MATCH of the correctly spelled name, with ratios, and
// how often the person is in each top 10. Also the build rate and index bytes per entity.
//
//   ura_search_bench [--persons N] [--queries Q] [--dir DIR] [--keep]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_people.h"
#include "crypto/secret.h"
#include "generate/catalog.h"
#include "generate/random.h"
#include "generate/text.h"
#include "index/sqlite/sqlite_index.h"
#include "search/search.h"
#include "service/consult.h"
#include "text/fold.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }


double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

uint64_t DirBytes(const std::string& prefix) {
  uint64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto n = std::filesystem::file_size(prefix + suffix, ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  size_t persons = 1000000, queries = 1000;
  std::string dir = "/tmp/ura-search-bench";
  bool keep = false, reuse = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--persons" && i + 1 < argc) persons = std::stoull(argv[++i]);
    else if (a == "--queries" && i + 1 < argc) queries = std::stoull(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--keep") keep = true;
    else if (a == "--reuse") reuse = keep = true;  // the databases of an earlier --keep run (same --persons)
    else {
      std::fprintf(stderr, "usage: %s [--persons N] [--queries Q] [--dir DIR] [--keep]\n", argv[0]);
      return 2;
    }
  }
  if (!reuse) std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string ura_path = dir + "/ura.sqlite", fts_path = dir + "/fts.sqlite";

  ura::generate::Random rng(2026);
  // --- Build Ura's index (sealed, bulk transactions, as `ura reindex` writes it).
  ura::Bytes key = ura::crypto::RandomBytes(32);
  auto opened = ura::index::SqliteIndex::Open(ura_path, ura::ByteView(key), {});
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto& index = **opened;
  std::vector<std::string> names;
  names.reserve(persons);
  auto t0 = Clock::now();
  if (!index.BeginBulk().ok()) return 1;
  const size_t batch = 5000;
  for (size_t i = 0; i < persons && reuse; ++i) {  // the same names, not stored again
    names.emplace_back();
    ura::bench::BenchPerson(i, rng, &names.back());
  }
  for (size_t start = reuse ? persons : 0; start < persons; start += batch) {
    std::deque<ura::model::Entity> entities;
    std::deque<std::string> json;
    std::vector<ura::index::VersionToApply> versions;
    for (size_t i = start; i < std::min(persons, start + batch); ++i) {
      names.emplace_back();
      ura::model::Entity e = ura::bench::BenchPerson(i, rng, &names.back());
      entities.push_back(std::move(e));
      json.push_back(ura::model::CanonicalJson(entities.back()));
      versions.push_back({i, &entities.back(), json.back()});
    }
    ura::Status s = index.Apply(versions, {}, start + versions.size(), {});
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  if (!index.Commit().ok()) return 1;
  auto t1 = Clock::now();
  const double ura_build = Seconds(t0, t1);

  // --- The same names in a plain FTS5 table.
  sqlite3* fts = nullptr;
  Check(sqlite3_open(fts_path.c_str(), &fts), fts, "open");
  Check(sqlite3_exec(fts, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;", nullptr,
                     nullptr, nullptr),
        fts, "pragma");
  if (!reuse) {
    Check(sqlite3_exec(fts,
                       "CREATE VIRTUAL TABLE names USING fts5(name, tokenize='unicode61 remove_diacritics 2');",
                       nullptr, nullptr, nullptr),
          fts, "create");
  }
  Check(sqlite3_exec(fts, "BEGIN", nullptr, nullptr, nullptr), fts, "begin");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v2(fts, "INSERT INTO names(rowid, name) VALUES(?1, ?2)", -1, &insert, nullptr), fts, "prep");
  auto t2 = Clock::now();
  for (size_t i = 0; i < persons && !reuse; ++i) {
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(insert, 2, names[i].data(), static_cast<int>(names[i].size()), SQLITE_STATIC);
    Check(sqlite3_step(insert), fts, "insert");
  }
  Check(sqlite3_exec(fts, "COMMIT", nullptr, nullptr, nullptr), fts, "commit");
  sqlite3_finalize(insert);
  auto t3 = Clock::now();
  const double fts_build = Seconds(t2, t3);

  // --- Queries: a random person's name with one typo.
  ura::generate::Random qrng(7);
  std::vector<size_t> who;
  std::vector<std::string> typed;
  for (size_t q = 0; q < queries; ++q) {
    size_t i = qrng.Uniform(persons);
    who.push_back(i);
    typed.push_back(ura::generate::Typo(names[i], qrng));
  }
  auto fts_query = [](const std::string& text) {
    // Each word quoted: plain FTS5 with the user's words, no typo tolerance.
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      size_t j = text.find(' ', i);
      if (j == std::string::npos) j = text.size();
      if (j > i) {
        if (!out.empty()) out += " AND ";
        out += "\"";
        for (char c : text.substr(i, j - i)) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += "\"";
      }
      i = j;
    }
    return out;
  };
  sqlite3_stmt* plain = nullptr;
  sqlite3_stmt* ranked = nullptr;
  Check(sqlite3_prepare_v2(fts, "SELECT rowid FROM names WHERE names MATCH ?1 LIMIT 10", -1, &plain, nullptr), fts,
        "prep");
  Check(sqlite3_prepare_v2(fts, "SELECT rowid FROM names WHERE names MATCH ?1 ORDER BY rank LIMIT 10", -1, &ranked,
                           nullptr),
        fts, "prep");
  // Found: the top 10 hold the person or a namesake (the catalogue repeats names a lot).
  auto same_name = [&](size_t a, size_t b) { return a == b || ura::text::Fold(names[a]) == ura::text::Fold(names[b]); };
  sqlite3_stmt* match = plain;
  auto run_fts = [&](const std::string& q, size_t target, bool* found) {
    auto a = Clock::now();
    sqlite3_reset(match);
    std::string expr = fts_query(q);
    sqlite3_bind_text(match, 1, expr.data(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    *found = false;
    while (sqlite3_step(match) == SQLITE_ROW) {
      if (same_name(static_cast<size_t>(sqlite3_column_int64(match, 0)), target)) *found = true;
    }
    return Seconds(a, Clock::now()) * 1000;
  };
  // Warm both caches the same way: one pass of each, not timed.
  for (size_t q = 0; q < std::min<size_t>(queries, 100); ++q) {
    bool f;
    run_fts(typed[q], who[q], &f);
    (void)ura::search::Search(index, typed[q], {});
  }
  std::vector<double> ura_ms, fts_typo_ms, fts_exact_ms, fts_ranked_ms;
  size_t ura_found = 0, ura_person_found = 0, fts_typo_found = 0, fts_exact_found = 0, fts_ranked_found = 0;
  ura::search::SearchOptions options;
  options.limit = 10;
  ura::search::SearchStats stats;
  options.stats = &stats;
  for (size_t q = 0; q < queries; ++q) {
    auto a = Clock::now();
    auto hits = ura::search::Search(index, typed[q], options);
    ura_ms.push_back(Seconds(a, Clock::now()) * 1000);
    if (!hits.ok()) {
      std::fprintf(stderr, "%s\n", hits.status().ToString().c_str());
      return 1;
    }
    const std::string want = "p" + std::to_string(who[q]);
    bool name_found = false, person_found = false;
    for (const auto& h : *hits) {
      const size_t id = std::stoull(h.id.substr(1));
      name_found |= same_name(id, who[q]);
      person_found |= h.id == want;
      for (const std::string& other : h.same_caption_ids) person_found |= other == want;
    }
    ura_found += name_found;
    ura_person_found += person_found;
    bool f = false;
    match = plain;
    fts_typo_ms.push_back(run_fts(typed[q], who[q], &f));
    fts_typo_found += f;
    fts_exact_ms.push_back(run_fts(names[who[q]], who[q], &f));
    fts_exact_found += f;
    match = ranked;
    fts_ranked_ms.push_back(run_fts(names[who[q]], who[q], &f));
    fts_ranked_found += f;
  }
  // The same queries as an investigator asks them (service::Search, as the API and `--as`
  // do): the access rules checked on every result and on the same-name records folded into it.
  ura::access::User investigator;
  investigator.name = "bench";
  investigator.clearance = ura::model::Classification::kSecret;
  const ura::access::Principal principal{investigator.name, &investigator};
  std::vector<double> investigator_ms;
  ura::search::SearchOptions consult_options;
  consult_options.limit = 10;
  for (size_t q = 0; q < queries; ++q) {
    auto a = Clock::now();
    auto answer = ura::service::Search(index, principal, typed[q], consult_options);
    investigator_ms.push_back(Seconds(a, Clock::now()) * 1000);
    if (!answer.ok()) {
      std::fprintf(stderr, "%s\n", answer.status().ToString().c_str());
      return 1;
    }
  }
  sqlite3_finalize(plain);
  sqlite3_finalize(ranked);
  sqlite3_close(fts);
  const uint64_t ura_bytes = DirBytes(ura_path), fts_bytes = DirBytes(fts_path);

  std::printf("persons %zu, queries %zu (one typo each)\n", persons, queries);
  std::printf("build: Ura index %.1f s (%.0f entities/s, %.0f bytes/entity sealed); plain FTS5 %.1f s (%.0f bytes/name)\n",
              ura_build, static_cast<double>(persons) / ura_build, static_cast<double>(ura_bytes) / persons, fts_build,
              static_cast<double>(fts_bytes) / persons);
  const double u50 = Percentile(ura_ms, 0.5), u99 = Percentile(ura_ms, 0.99);
  const double t50 = Percentile(fts_typo_ms, 0.5), t99 = Percentile(fts_typo_ms, 0.99);
  const double e50 = Percentile(fts_exact_ms, 0.5), e99 = Percentile(fts_exact_ms, 0.99);
  const double r50 = Percentile(fts_ranked_ms, 0.5), r99 = Percentile(fts_ranked_ms, 0.99);
  std::printf("(found = the name, i.e. the person or a namesake, is in the top 10)\n");
  std::printf("Ura search, typed query (typo)          p50 %7.3f ms  p99 %7.3f ms  found %5.1f%% (this person: %5.1f%%)\n",
              u50, u99, 100.0 * ura_found / queries, 100.0 * ura_person_found / queries);
  std::printf("Ura search as an investigator (rules)   p50 %7.3f ms  p99 %7.3f ms\n", Percentile(investigator_ms, 0.5),
              Percentile(investigator_ms, 0.99));
  std::printf("FTS5 MATCH LIMIT 10, typed query        p50 %7.3f ms  p99 %7.3f ms  found %5.1f%%\n", t50, t99,
              100.0 * fts_typo_found / queries);
  std::printf("FTS5 MATCH LIMIT 10, correct spelling   p50 %7.3f ms  p99 %7.3f ms  found %5.1f%%\n", e50, e99,
              100.0 * fts_exact_found / queries);
  std::printf("FTS5 MATCH ORDER BY rank, correct sp.   p50 %7.3f ms  p99 %7.3f ms  found %5.1f%%\n", r50, r99,
              100.0 * fts_ranked_found / queries);
  const double n = static_cast<double>(queries);
  std::printf("Ura time per query (mean ms): identifiers %.3f, vocabulary %.3f, exact %.3f (%.0f candidates), "
              "variants %.3f (%.1f variant words, %.0f candidates), partial %.3f (%.0f), rerank %.3f, text %.3f\n",
              stats.identifiers_ms / n, stats.vocabulary_ms / n, stats.exact_ms / n, stats.exact_candidates / n,
              stats.variants_ms / n, stats.variant_tokens / n, stats.variant_candidates / n, stats.partial_ms / n,
              stats.partial_candidates / n, stats.rerank_ms / n, stats.text_ms / n);
  std::printf("p99 ratio Ura / FTS5: %.2fx typed, %.2fx correct spelling, %.2fx ranked correct spelling"
              " (goal <= 2x and <= 20 ms)\n",
              u99 / t99, u99 / e99, u99 / r99);
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
