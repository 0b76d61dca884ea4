#include "index/entity_index.h"

#include <sqlite3.h>

#include "journal/journal_reader.h"

namespace ura::index {

namespace {
Status SqliteError(sqlite3* db, const std::string& what) {
  return IoError("index database: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
}
}  // namespace

Status EntityIndex::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return IoError(std::string("index database: ") + msg);
  }
  return Status::Ok();
}

Result<std::unique_ptr<EntityIndex>> EntityIndex::Open(const std::string& path) {
  std::unique_ptr<EntityIndex> idx(new EntityIndex());
  if (sqlite3_open_v2(path.c_str(), &idx->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return SqliteError(idx->db_, "open " + path);
  }
  URA_RETURN_IF_ERROR(idx->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"
      "PRAGMA temp_store=MEMORY;"
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
      "CREATE TABLE IF NOT EXISTS entities(id TEXT PRIMARY KEY, schema TEXT NOT NULL, seq INTEGER NOT NULL,"
      " json TEXT NOT NULL) WITHOUT ROWID;"));
  if (sqlite3_prepare_v2(idx->db_, "SELECT json FROM entities WHERE id = ?1", -1, &idx->get_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(idx->db_, "INSERT OR REPLACE INTO entities(id, schema, seq, json) VALUES(?1, ?2, ?3, ?4)", -1,
                         &idx->put_, nullptr) != SQLITE_OK) {
    return SqliteError(idx->db_, "prepare");
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(idx->db_, "SELECT value FROM meta WHERE key = 'applied_size'", -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) idx->applied_size_ = static_cast<uint64_t>(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  return idx;
}

EntityIndex::~EntityIndex() {
  Commit().IgnoreError();  // a projection: anything lost is caught up from the journal
  sqlite3_finalize(get_);
  sqlite3_finalize(put_);
  sqlite3_close(db_);
}

Result<std::optional<model::Entity>> EntityIndex::Get(const std::string& id) {
  sqlite3_reset(get_);
  sqlite3_bind_text(get_, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(get_);
  if (rc == SQLITE_DONE) return std::optional<model::Entity>();
  if (rc != SQLITE_ROW) return SqliteError(db_, "read entity");
  std::string_view text(reinterpret_cast<const char*>(sqlite3_column_text(get_, 0)),
                        static_cast<size_t>(sqlite3_column_bytes(get_, 0)));
  auto e = model::ParseEntityJson(text);
  if (!e.ok()) return Corruption("index holds an unreadable entity " + id + " (run `ura reindex`)", {});
  return std::optional<model::Entity>(std::move(e).value());
}

Status EntityIndex::Apply(const std::vector<std::pair<uint64_t, const model::Entity*>>& versions,
                          uint64_t applied_size) {
  std::vector<std::string> json;
  json.reserve(versions.size());
  for (const auto& [seq, e] : versions) json.push_back(model::CanonicalJson(*e));
  return Apply(versions, json, applied_size);
}

Status EntityIndex::BeginBulk(size_t commit_every) {
  if (bulk_) return Status::Ok();
  URA_RETURN_IF_ERROR(Exec("BEGIN"));
  bulk_ = true;
  bulk_commit_every_ = commit_every;
  bulk_pending_ = 0;
  return Status::Ok();
}

Status EntityIndex::Commit() {
  if (!bulk_) return Status::Ok();
  bulk_ = false;
  return Exec("COMMIT");
}

Status EntityIndex::Apply(const std::vector<std::pair<uint64_t, const model::Entity*>>& versions,
                          const std::vector<std::string>& all_json, uint64_t applied_size) {
  if (!bulk_) URA_RETURN_IF_ERROR(Exec("BEGIN"));
  for (size_t i = 0; i < versions.size(); ++i) {
    const auto& [seq, e] = versions[i];
    const std::string& json = all_json[i];
    sqlite3_reset(put_);
    sqlite3_bind_text(put_, 1, e->id.data(), static_cast<int>(e->id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(put_, 2, e->schema.data(), static_cast<int>(e->schema.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(put_, 3, static_cast<sqlite3_int64>(seq));
    sqlite3_bind_text(put_, 4, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
    if (sqlite3_step(put_) != SQLITE_DONE) {
      Exec("ROLLBACK").IgnoreError();
      bulk_ = false;
      return SqliteError(db_, "write entity");
    }
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('applied_size', ?1)", -1, &st, nullptr);
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(applied_size));
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    Exec("ROLLBACK").IgnoreError();
    bulk_ = false;
    return SqliteError(db_, "write meta");
  }
  applied_size_ = applied_size;
  if (!bulk_) return Exec("COMMIT");
  bulk_pending_ += versions.size();
  if (bulk_pending_ >= bulk_commit_every_) {
    URA_RETURN_IF_ERROR(Exec("COMMIT; BEGIN"));
    bulk_pending_ = 0;
  }
  return Status::Ok();
}

Result<std::map<std::string, uint64_t>> EntityIndex::CountBySchema() {
  std::map<std::string, uint64_t> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT schema, COUNT(*) FROM entities GROUP BY schema", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))] = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
  }
  sqlite3_finalize(st);
  return out;
}

Status EntityIndex::ForEach(const model::SchemaRegistry& registry, const std::string& schema,
                            const std::function<Status(const model::Entity&)>& fn) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT json, schema FROM entities ORDER BY id", -1, &st, nullptr);
  Status result;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string_view s(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    if (!schema.empty()) {
      const model::Schema* sc = registry.Find(s);
      if (sc == nullptr || !sc->IsA(schema)) continue;
    }
    std::string_view text(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                          static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    auto e = model::ParseEntityJson(text);
    if (!e.ok()) {
      result = e.status();
      break;
    }
    result = fn(*e);
    if (!result.ok()) break;
  }
  sqlite3_finalize(st);
  return result;
}

Result<std::string> PrepareIndexPath(FileSystem& fs, const journal::StorePaths& paths) {
  std::string dir = JoinPath(paths.dir, "index");
  URA_RETURN_IF_ERROR(fs.CreateDir(dir));
  return JoinPath(dir, "entities.sqlite");
}

Status DeleteIndexFiles(FileSystem& fs, const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (fs.Exists(path + suffix)) URA_RETURN_IF_ERROR(fs.Remove(path + suffix));
  }
  return Status::Ok();
}

Status CatchUp(EntityIndex& index, FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring,
               const std::function<void(uint64_t, uint64_t)>& progress) {
  auto meta = journal::LoadStoreMeta(fs, paths);
  if (!meta.ok()) return meta.status();
  URA_ASSIGN_OR_RETURN(journal::SignedHead head, journal::ReadLatestHead(fs, paths, *meta));
  if (head.tree_size <= index.applied_size()) return Status::Ok();
  std::vector<model::Entity> batch;
  std::vector<uint64_t> seqs;
  auto flush = [&](uint64_t applied) -> Status {
    std::vector<std::pair<uint64_t, const model::Entity*>> versions;
    for (size_t i = 0; i < batch.size(); ++i) versions.emplace_back(seqs[i], &batch[i]);
    URA_RETURN_IF_ERROR(index.Apply(versions, applied));
    batch.clear();
    seqs.clear();
    return Status::Ok();
  };
  uint64_t last = index.applied_size();
  const uint64_t start = last;
  URA_RETURN_IF_ERROR(journal::ReadEntries(fs, paths, keyring, index.applied_size(), head.tree_size,
                                           [&](const journal::DecodedEntry& e) -> Status {
                                             last = e.sequence + 1;
                                             if (progress && (last - start) % 8192 == 0) {
                                               progress(last - start, head.tree_size - start);
                                             }
                                             if (e.type != kEntryTypeEntityVersion) return Status::Ok();
                                             auto entity = model::ParseEntityJson(AsString(e.payload));
                                             if (!entity.ok()) {
                                               return Corruption("journal entry " + std::to_string(e.sequence) +
                                                                     " is not a valid entity version",
                                                                 {"", std::nullopt, e.sequence, "entity"});
                                             }
                                             batch.push_back(std::move(entity).value());
                                             seqs.push_back(e.sequence);
                                             if (batch.size() >= 5000) return flush(last);
                                             return Status::Ok();
                                           }));
  return flush(head.tree_size);
}

}  // namespace ura::index
