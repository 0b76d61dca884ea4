// The embedded index: one SQLite database (WAL) in the store directory, encrypted page by page
// when opened with a key (sealed_db). Tables: entities (current version, folded names, JSON),
// versions (journal sequence of every version), identifiers, refs, name_fts and text_fts
// (contentless FTS5 over folded tokens), vocab and vocab_keys (name tokens with their phonetic
// skeleton and single-deletion keys, for typo-tolerant lookup), entity_keys (entity resolution's
// keys, EntityKeys). See docs/architecture.md.
//
// Not thread-safe: one SqliteIndex per thread (SQLite's WAL lets several processes read while
// one writes).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "crypto/secret.h"
#include "index/index.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ura::index {

class SqliteIndex final : public Index {
 public:
  // Opens or creates the index at `path`. With a 32-byte `key` the database is sealed
  // (encrypted at rest); without one it is a plain SQLite file (tests, benchmarks). An index
  // of an older format, listed under other `keys` (EntityKeys::version), or one that fails
  // authentication, is an error (kFailedPrecondition or kDataLoss): the caller deletes and
  // rebuilds it.
  static Result<std::unique_ptr<SqliteIndex>> Open(const std::string& path, std::optional<ByteView> key,
                                                   EntityKeys keys);
  ~SqliteIndex() override;

  uint64_t applied_size() const override { return applied_size_; }
  const Bytes& applied_root() const override { return applied_root_; }
  uint64_t committed_size() const override { return committed_size_; }
  Status Apply(const std::vector<VersionToApply>& versions, const std::vector<ResolutionToApply>& resolution,
               uint64_t applied_size, ByteView applied_root) override;
  Status BeginBulk() override;
  Status BeginRebuild() override;
  Status Commit() override;

  Result<std::optional<model::Entity>> Get(const std::string& id) override;
  Result<std::optional<model::Marking>> MarkingOf(const std::string& id) override;
  Result<std::optional<CurrentVersion>> Current(const std::string& id) override;
  Result<std::vector<uint64_t>> VersionSequences(const std::string& id) override;
  Result<std::vector<Reference>> ReferencesTo(const std::string& id, size_t limit) override;
  Result<std::optional<PersonGroup>> PersonOf(const std::string& id, size_t member_limit) override;
  Result<std::string> LatestRunStats() override;
  Status ForEachJudgement(const std::function<Status(const model::Judgement&)>& fn) override;
  Result<std::vector<model::Judgement>> JudgementsOf(const std::string& id) override;
  Status ForEachPerson(
      const std::function<Status(const std::string& person, const std::vector<std::string>& members)>& fn) override;
  Result<std::vector<Candidate>> MatchNames(const std::vector<std::vector<std::string>>& groups,
                                            const std::vector<std::string>& schemata, size_t limit) override;
  Result<std::vector<Candidate>> MatchText(const std::vector<std::string>& tokens,
                                           const std::vector<std::string>& schemata, size_t limit) override;
  Result<std::vector<TokenVariant>> NameTokenVariants(const std::string& token, size_t limit) override;
  Result<std::vector<std::string>> FindByKey(const std::string& key, size_t limit) override;
  Status ScanKeyedRecords(const std::function<Status(std::string_view record)>& fn) override;
  Result<std::optional<std::string>> KeyedRecord(const std::string& id) override;
  const EntityKeys& entity_keys() const override { return entity_keys_; }
  Result<std::vector<Candidate>> FindIdentifier(const std::string& value, const std::vector<std::string>& schemata,
                                                size_t limit) override;
  Result<std::map<std::string, uint64_t>> CountBySchema() override;
  Status ForEach(const model::SchemaRegistry& registry, const std::string& schema,
                 const std::function<Status(const model::Entity&)>& fn) override;
  Status ForEachCurrent(const std::function<Status(const std::string&, const CurrentVersion&)>& fn) override;
  Status CheckStorage() override;
  Status Refresh() override;
  Result<std::optional<StoredEntity>> Stored(const std::string& id) override;
  Result<bool> HasVersion(const std::string& id, uint64_t sequence) override;
  Result<IndexTotals> Totals() override;
  Status BeginSnapshot() override;

  // SHA-256 (hex) over everything the index holds, independent of row ids and insertion order:
  // an index caught up step by step and one rebuilt in one go must give the same digest.
  Result<std::string> ContentDigest();

  // For tests that play an insider editing the index: runs SQL on the open database.
  Status ExecForTesting(const std::string& sql) { return Exec(sql.c_str()); }

 private:
  SqliteIndex() = default;
  struct Statements;
  Status Exec(const char* sql);
  Status ExecCommit();  // COMMIT, and what was applied is committed
  Status SetCache(int64_t kib);  // PRAGMA cache_size in KiB
  // Runs `sql` and calls `row` for each row until it fails; `what` names the read in errors.
  Status EachRow(const std::string& sql, const char* what, const std::function<Status(sqlite3_stmt*)>& row);
  // The current entities (of `schemata` only, unless null), in id order.
  Status Scan(const std::vector<std::string>* schemata,
              const std::function<Status(std::string_view id, uint64_t seq, std::string_view json)>& fn);
  Status ApplyOne(const VersionToApply& v);
  Status ApplyRunChunk(const model::RunChunk& chunk);
  Status ApplyUpdate(const model::ResolutionUpdate& update);
  Status ApplyJudgement(const model::Judgement& judgement);
  Status PutMeta(const char* key, std::string_view value);
  // Rolls back the open transaction, forgets pending work and reloads the applied size.
  Status Fail(Status cause);
  Status FlushVocabulary();
  Result<std::vector<Candidate>> RunCandidateQuery(const std::string& sql, const std::string& match,
                                                   const std::vector<std::string>& schemata, size_t limit);

  sqlite3* db_ = nullptr;
  bool sealed_ = false;
  crypto::SecretBytes key_;  // sealed: for the storage check's own connection
  std::string path_;
  std::unique_ptr<Statements> stmts_;
  EntityKeys entity_keys_;
  uint64_t applied_size_ = 0;
  Bytes applied_root_;
  uint64_t committed_size_ = 0;
  bool bulk_ = false;
  size_t bulk_pending_ = 0;
  // A rebuild (BeginRebuild) defers the key table: inserting tens of millions of
  // keys at random rewrites most of its pages at every commit. The keys are kept here (16
  // bytes each) with the number of the version that gave them and written in key order at
  // Commit; meanwhile meta 'keys_pending' marks the index, so that one left by an interrupted
  // rebuild is rebuilt.
  struct DeferredKey {
    int64_t hash;
    uint32_t entity;   // row
    uint32_t version;  // the how-manieth version applied in this bulk; kKeylessMark: it had no keys
  };
  static constexpr uint32_t kKeylessMark = 1u << 31;
  bool defer_keys_ = false;
  uint32_t deferred_versions_ = 0;
  bool keys_pending_marked_ = false;
  std::vector<DeferredKey> deferred_keys_;
  Status WriteDeferredKeys();
  // Change in the number of entities using each name token, not yet written to `vocab`.
  std::unordered_map<std::string, int64_t> vocab_delta_;
};

// Where a store keeps its index: DIR/index/entities.sqlite.
std::string IndexPath(const journal::StorePaths& paths);
// IndexPath, creating DIR/index.
Result<std::string> PrepareIndexPath(FileSystem& fs, const journal::StorePaths& paths);
// Deletes the index database and its WAL files (it is only a projection of the journal).
Status DeleteIndexFiles(FileSystem& fs, const std::string& path);

}  // namespace ura::index
