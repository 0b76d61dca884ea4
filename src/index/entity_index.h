// The entity index: a SQLite projection of the journal holding the current version of every
// entity. It can be deleted at any time and rebuilt from the journal (`CatchUp` from zero).
// It records the journal tree size it has applied, and catches up incrementally.
//
// This is the beginning of the index of issue 4 (search and dossier build on it). Not
// thread-safe: one EntityIndex per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/file_system.h"
#include "journal/keys.h"
#include "model/entity.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ura::index {

// Journal entry type of an entity version (payload: model::CanonicalJson).
inline constexpr uint32_t kEntryTypeEntityVersion = 16;

class EntityIndex {
 public:
  // Opens (creating if needed) the index database at `path`.
  static Result<std::unique_ptr<EntityIndex>> Open(const std::string& path);
  ~EntityIndex();

  Result<std::optional<model::Entity>> Get(const std::string& id);
  // Applies entity versions written at journal sequences [first_seq, first_seq + n) and
  // records `applied_size` in one transaction.
  Status Apply(const std::vector<std::pair<uint64_t, const model::Entity*>>& versions, uint64_t applied_size);
  // The same, with each entity's canonical JSON already computed (`json[i]` for versions[i]).
  Status Apply(const std::vector<std::pair<uint64_t, const model::Entity*>>& versions,
               const std::vector<std::string>& json, uint64_t applied_size);
  uint64_t applied_size() const { return applied_size_; }
  // Groups many Apply calls into one SQLite transaction (committed every `commit_every`
  // versions and by Commit()), which makes bulk ingest several times faster. Safe because the
  // index is a projection: after a crash it catches up from the journal. Reads through this
  // object see the uncommitted versions.
  Status BeginBulk(size_t commit_every = 50000);
  Status Commit();
  Result<std::map<std::string, uint64_t>> CountBySchema();
  // Every current entity, optionally of one schema (and its descendants), in id order.
  Status ForEach(const model::SchemaRegistry& registry, const std::string& schema,
                 const std::function<Status(const model::Entity&)>& fn);

 private:
  EntityIndex() = default;
  Status Exec(const char* sql);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  uint64_t applied_size_ = 0;
  bool bulk_ = false;
  size_t bulk_commit_every_ = 0;
  size_t bulk_pending_ = 0;
};

// Where a store keeps its entity index (DIR/index/entities.sqlite); creates DIR/index.
Result<std::string> PrepareIndexPath(FileSystem& fs, const journal::StorePaths& paths);
// Deletes the index database and its WAL files (it is only a projection of the journal).
Status DeleteIndexFiles(FileSystem& fs, const std::string& path);

// Applies every committed entity version after the index's applied size.
// `progress` (optional) is called now and then with (entries applied, entries to apply).
Status CatchUp(EntityIndex& index, FileSystem& fs, const journal::StorePaths& paths,
               const journal::Keyring& keyring,
               const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace ura::index
