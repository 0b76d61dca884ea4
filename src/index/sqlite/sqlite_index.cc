#include "index/sqlite/sqlite_index.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "index/projection.h"
#include "crypto/sha256.h"
#include "sealed_db/sealed_db.h"
#include "text/distance.h"
#include "text/fold.h"

namespace ura::index {

namespace {

// Bumped whenever the tables change: an index of another format is rebuilt from the journal.
constexpr int64_t kIndexFormat = 8;
// Versions applied per transaction during bulk work.
constexpr size_t kBulkCommitEvery = 50000;
// SQLite's page cache (KiB): 128 MiB normally. A rebuild inserts at random into b-trees far
// larger than that -- at 10M persons the key table alone is over a GiB -- and every miss
// costs a page read and decryption and, later, a re-encryption: 10M entities took over 17
// minutes to reindex with the usual cache. While a rebuild lasts the cache may grow to a
// quarter of the memory, at most 2 GiB (an ingest keeps the usual cache: its memory stays flat
// in the size of the file).
constexpr int64_t kCacheKiB = 128 * 1024;
int64_t BulkCacheKiB() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return kCacheKiB;
  const int64_t quarter = static_cast<int64_t>(pages) / 4 * page_size / 1024;
  return std::clamp<int64_t>(quarter, kCacheKiB, int64_t{2} * 1024 * 1024);
}
// Name tokens shorter than this are looked up exactly (a typo in "ali" is another name).
constexpr size_t kMinTypoTokenLength = 4;
// Rows of the key table written by one statement when a rebuild writes them all at the end.
constexpr size_t kKeysPerInsert = 100;

constexpr char kSchemaSql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS entities(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " schema TEXT NOT NULL, seq INTEGER NOT NULL, names TEXT NOT NULL, caption TEXT NOT NULL,"
    " marking TEXT NOT NULL, json TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS versions(entity INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(entity, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS identifiers(value TEXT NOT NULL, entity INTEGER NOT NULL,"
    " property TEXT NOT NULL, PRIMARY KEY(value, entity, property)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS refs(target TEXT NOT NULL, entity INTEGER NOT NULL,"
    " property TEXT NOT NULL, PRIMARY KEY(target, entity, property)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS identifiers_by_entity ON identifiers(entity);"
    "CREATE INDEX IF NOT EXISTS refs_by_entity ON refs(entity);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS name_fts USING fts5(names, content='', detail='none',"
    " tokenize='ascii');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS text_fts USING fts5(text, content='', detail='none',"
    " tokenize='ascii');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS name_terms USING fts5vocab(name_fts, 'row');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS text_terms USING fts5vocab(text_fts, 'row');"
    "CREATE TABLE IF NOT EXISTS vocab(token TEXT PRIMARY KEY, skeleton TEXT NOT NULL,"
    " entities INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS vocab_by_skeleton ON vocab(skeleton);"
    "CREATE TABLE IF NOT EXISTS vocab_keys(key TEXT NOT NULL, token TEXT NOT NULL,"
    " PRIMARY KEY(key, token)) WITHOUT ROWID;"
    // The latest complete resolution run's canonical persons (record -> person), and the
    // members of a run whose entries are still arriving (one run at a time; meta 'person_run'
    // names the run in person_members).
    "CREATE TABLE IF NOT EXISTS person_members(entity TEXT PRIMARY KEY, person TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS person_members_by_person ON person_members(person, entity);"
    "CREATE TABLE IF NOT EXISTS person_staging(entity TEXT NOT NULL, person TEXT NOT NULL);"
    // Entity resolution's keys (EntityKeys, as EntityKeyHash) -> records; meta 'entity_keys'
    // names the function that gave them. A new version's keys replace the old version's,
    // recomputed from its stored JSON (as its text is).
    "CREATE TABLE IF NOT EXISTS entity_keys(key INTEGER NOT NULL, entity INTEGER NOT NULL,"
    " PRIMARY KEY(key, entity)) WITHOUT ROWID;"
    // The record kept beside each entity that has one (EntityKeys), by entity row.
    "CREATE TABLE IF NOT EXISTS entity_records(entity INTEGER PRIMARY KEY, record BLOB NOT NULL);"
    // Analysts' judgements in force: the latest of each pair (a < b), as encoded in the journal.
    "CREATE TABLE IF NOT EXISTS judgements(a TEXT NOT NULL, b TEXT NOT NULL, json TEXT NOT NULL,"
    " PRIMARY KEY(a, b)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS judgements_by_b ON judgements(b);";

// Damage to the database: a corrupt b-tree or FTS5 structure, not a database, or a page that
// fails authentication (sealed_db) or is cut short. Other I/O errors are not damage.
bool IsDamage(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || code == SQLITE_IOERR_DATA ||
         code == SQLITE_IOERR_SHORT_READ;
}

Status SqliteError(sqlite3* db, const std::string& path, const std::string& what) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
  std::string msg = "index database: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open");
  if (IsDamage(code)) return Corruption(msg + " (run `ura reindex`)", {path, std::nullopt, std::nullopt, kIndexDamage});
  if ((code & 0xff) == SQLITE_BUSY) return Unavailable(msg + " (another process is writing the index; try again)");
  return IoError(msg);
}

// A prepared statement, finalized with its owner.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Status Prepare(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
      return SqliteError(db, "", std::string("prepare ") + sql);
    }
    return Status::Ok();
  }
  sqlite3_stmt* operator*() const { return stmt_; }
  // Resets and clears bindings; returns the statement for binding.
  sqlite3_stmt* Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return stmt_;
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void BindText(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

std::string_view ColumnText(sqlite3_stmt* st, int i) {
  const unsigned char* p = sqlite3_column_text(st, i);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st, i))};
}

std::string_view ColumnBlob(sqlite3_stmt* st, int i) {
  const void* p = sqlite3_column_blob(st, i);
  if (p == nullptr) return {};
  return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st, i))};
}

// Tokens given to the token indexes must be folded (text/fold.h): [a-z0-9]+. Anything else
// would be split by the tokenizer into a phrase, or is not a word at all.
Status CheckFolded(std::string_view token) {
  const bool folded = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
  if (folded) return Status::Ok();
  return InvalidArgument("not a folded word: '" + std::string(token.substr(0, 40)) + "'");
}

// Quoted FTS5 string: folded tokens are [a-z0-9]+, but nothing is trusted.
std::string FtsString(std::string_view token) {
  std::string out = "\"";
  for (char c : token) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string SpaceJoined(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

// " AND e.schema IN (?2, ?3...)" for `n` schemata bound from parameter 2.
std::string SchemaFilter(size_t n) {
  if (n == 0) return "";
  std::string out = " AND e.schema IN (";
  for (size_t i = 0; i < n; ++i) out += (i ? ", ?" : "?") + std::to_string(i + 2);
  return out + ")";
}

}  // namespace

struct SqliteIndex::Statements {
  Stmt get, marking_of, insert_entity, update_entity, insert_version, insert_identifier, delete_identifiers,
      insert_ref, delete_refs, insert_key, insert_keys, delete_key, find_key, put_record, delete_record, get_record, put_judgement, delete_judgement,
      judgements_of, insert_name_fts, delete_name_fts, insert_text_fts,
      delete_text_fts, vocab_get, vocab_insert, vocab_update, vocab_key_insert, put_meta, versions, refs_to,
      stored_identifiers, stored_refs, has_version, stage_member, person_of, person_members, person_run,
      person_stats, delete_person, put_member, count_person;
};

Status SqliteIndex::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqliteError(db_, path_, "run SQL");
  return Status::Ok();
}

Status SqliteIndex::ExecCommit() {
  URA_RETURN_IF_ERROR(Exec("COMMIT"));
  committed_size_ = applied_size_;
  return Status::Ok();
}

Status SqliteIndex::Refresh() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT key, value FROM meta WHERE key IN ('applied_size', 'applied_root')", -1, &st,
                         nullptr) != SQLITE_OK) {
    return SqliteError(db_, path_, "read meta");
  }
  applied_size_ = 0;
  applied_root_.clear();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::string_view k = ColumnText(st, 0);
    if (k == "applied_size") applied_size_ = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
    if (k == "applied_root") {
      const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, 1));
      applied_root_.assign(p, p + sqlite3_column_bytes(st, 1));
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read meta");
  // Outside a write transaction what was read is committed.
  if (sqlite3_txn_state(db_, nullptr) != SQLITE_TXN_WRITE) committed_size_ = applied_size_;
  return Status::Ok();
}

Result<std::unique_ptr<SqliteIndex>> SqliteIndex::Open(const std::string& path, std::optional<ByteView> key,
                                                      EntityKeys keys) {
  std::unique_ptr<SqliteIndex> idx(new SqliteIndex());
  idx->path_ = path;
  idx->entity_keys_ = std::move(keys);
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (key) {
    URA_ASSIGN_OR_RETURN(idx->db_, sealed_db::OpenSealed(path, *key, flags));
    idx->sealed_ = true;
    idx->key_ = crypto::SecretBytes(*key);
  } else if (sqlite3_open_v2(path.c_str(), &idx->db_, flags, nullptr) != SQLITE_OK) {
    return SqliteError(idx->db_, path, "open " + path);
  }
  sqlite3_busy_timeout(idx->db_, 10000);
  URA_RETURN_IF_ERROR(idx->Exec(
      ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" + std::to_string(kCacheKiB) + ";"
       "PRAGMA temp_store=MEMORY;").c_str()));
  // An index of another format or projection (or another program's database) is not patched:
  // it is rebuilt. A new one is created with its tables; an existing one is only read here.
  sqlite3_stmt* st = nullptr;
  bool has_tables = false;
  if (sqlite3_prepare_v2(idx->db_, "SELECT count(*) FROM sqlite_schema", -1, &st, nullptr) != SQLITE_OK) {
    return SqliteError(idx->db_, path, "read " + path);
  }
  if (sqlite3_step(st) == SQLITE_ROW) has_tables = sqlite3_column_int64(st, 0) > 0;
  sqlite3_finalize(st);
  const std::string projection = ProjectionVersion();
  if (has_tables) {
    int64_t format = 0;
    std::string stored_projection, stored_keys;
    bool keys_pending = false;
    const bool has_meta =
        sqlite3_prepare_v2(idx->db_,
                           "SELECT key, value FROM meta WHERE key IN ('format', 'projection', 'entity_keys', 'keys_pending')",
                           -1, &st, nullptr) == SQLITE_OK;
    int rc = SQLITE_DONE;
    while (has_meta && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (ColumnText(st, 0) == "format") format = sqlite3_column_int64(st, 1);
      if (ColumnText(st, 0) == "projection") stored_projection = ColumnText(st, 1);
      if (ColumnText(st, 0) == "entity_keys") stored_keys = ColumnText(st, 1);
      if (ColumnText(st, 0) == "keys_pending") keys_pending = true;
    }
    sqlite3_finalize(st);
    if (has_meta && rc != SQLITE_DONE) return SqliteError(idx->db_, path, "read " + path);
    if (!has_meta && IsDamage(sqlite3_extended_errcode(idx->db_))) return SqliteError(idx->db_, path, "read " + path);
    if (format != kIndexFormat) {
      return FailedPrecondition("the index at " + path + " has format " + std::to_string(format) + ", not " +
                                std::to_string(kIndexFormat));
    }
    if (stored_projection != projection) {
      return FailedPrecondition("the index at " + path + " was built by another version of Ura (" +
                                stored_projection + ", now " + projection + ")");
    }
    if (keys_pending) {
      return FailedPrecondition("the index at " + path + " is from a rebuild that was interrupted (its key table is incomplete)");
    }
    if (stored_keys != idx->entity_keys_.version) {
      return FailedPrecondition("the index at " + path + " lists records under other entity resolution keys (" +
                                stored_keys + ", now " + idx->entity_keys_.version + ")");
    }
  } else {
    URA_RETURN_IF_ERROR(idx->Exec("BEGIN"));
    URA_RETURN_IF_ERROR(idx->Exec(kSchemaSql));
    sqlite3_prepare_v2(idx->db_,
                       "INSERT INTO meta(key, value) VALUES('format', ?1), ('projection', ?2), ('entity_keys', ?3)", -1,
                       &st, nullptr);
    sqlite3_bind_int64(st, 1, kIndexFormat);
    BindText(st, 2, projection);
    BindText(st, 3, idx->entity_keys_.version);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return SqliteError(idx->db_, path, "create tables");
    URA_RETURN_IF_ERROR(idx->Exec("COMMIT"));
  }
  auto s = std::make_unique<Statements>();
  sqlite3* db = idx->db_;
  URA_RETURN_IF_ERROR(
      s->get.Prepare(db, "SELECT rowid, seq, json, names, schema, caption, marking FROM entities WHERE id = ?1"));
  URA_RETURN_IF_ERROR(s->marking_of.Prepare(db, "SELECT marking FROM entities WHERE id = ?1"));
  URA_RETURN_IF_ERROR(s->insert_entity.Prepare(
      db, "INSERT INTO entities(id, schema, seq, names, caption, json, marking) VALUES(?1, ?2, ?3, ?4, ?6, ?5, ?7)"));
  URA_RETURN_IF_ERROR(s->update_entity.Prepare(
      db, "UPDATE entities SET schema = ?2, seq = ?3, names = ?4, json = ?5, caption = ?6, marking = ?7 WHERE rowid = ?1"));
  URA_RETURN_IF_ERROR(s->insert_version.Prepare(db, "INSERT OR IGNORE INTO versions(entity, seq) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->insert_identifier.Prepare(
      db, "INSERT OR IGNORE INTO identifiers(value, entity, property) VALUES(?1, ?2, ?3)"));
  URA_RETURN_IF_ERROR(s->delete_identifiers.Prepare(db, "DELETE FROM identifiers WHERE entity = ?1"));
  URA_RETURN_IF_ERROR(s->insert_ref.Prepare(db, "INSERT OR IGNORE INTO refs(target, entity, property) VALUES(?1, ?2, ?3)"));
  URA_RETURN_IF_ERROR(s->delete_refs.Prepare(db, "DELETE FROM refs WHERE entity = ?1"));
  URA_RETURN_IF_ERROR(s->insert_key.Prepare(db, "INSERT OR IGNORE INTO entity_keys(key, entity) VALUES(?1, ?2)"));
  std::string insert_keys = "INSERT OR IGNORE INTO entity_keys(key, entity) VALUES(?, ?)";
  for (size_t i = 1; i < kKeysPerInsert; ++i) insert_keys += ", (?, ?)";
  URA_RETURN_IF_ERROR(s->insert_keys.Prepare(db, insert_keys.c_str()));
  URA_RETURN_IF_ERROR(s->delete_key.Prepare(db, "DELETE FROM entity_keys WHERE key = ?1 AND entity = ?2"));
  URA_RETURN_IF_ERROR(s->find_key.Prepare(
      db, "SELECT e.id FROM entity_keys k JOIN entities e ON e.rowid = k.entity WHERE k.key = ?1 LIMIT ?2"));
  URA_RETURN_IF_ERROR(s->put_record.Prepare(db, "INSERT OR REPLACE INTO entity_records(entity, record) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->delete_record.Prepare(db, "DELETE FROM entity_records WHERE entity = ?1"));
  URA_RETURN_IF_ERROR(s->get_record.Prepare(
      db, "SELECT r.record FROM entities e JOIN entity_records r ON r.entity = e.rowid WHERE e.id = ?1"));
  URA_RETURN_IF_ERROR(s->put_judgement.Prepare(db, "INSERT OR REPLACE INTO judgements(a, b, json) VALUES(?1, ?2, ?3)"));
  URA_RETURN_IF_ERROR(s->delete_judgement.Prepare(db, "DELETE FROM judgements WHERE a = ?1 AND b = ?2"));
  URA_RETURN_IF_ERROR(s->judgements_of.Prepare(
      db, "SELECT json FROM judgements WHERE a = ?1 UNION ALL SELECT json FROM judgements WHERE b = ?1"));
  URA_RETURN_IF_ERROR(s->insert_name_fts.Prepare(db, "INSERT INTO name_fts(rowid, names) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(
      s->delete_name_fts.Prepare(db, "INSERT INTO name_fts(name_fts, rowid, names) VALUES('delete', ?1, ?2)"));
  URA_RETURN_IF_ERROR(s->insert_text_fts.Prepare(db, "INSERT INTO text_fts(rowid, text) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(
      s->delete_text_fts.Prepare(db, "INSERT INTO text_fts(text_fts, rowid, text) VALUES('delete', ?1, ?2)"));
  URA_RETURN_IF_ERROR(s->vocab_get.Prepare(db, "SELECT entities FROM vocab WHERE token = ?1"));
  URA_RETURN_IF_ERROR(s->vocab_insert.Prepare(db, "INSERT INTO vocab(token, skeleton, entities) VALUES(?1, ?2, ?3)"));
  URA_RETURN_IF_ERROR(s->vocab_update.Prepare(db, "UPDATE vocab SET entities = entities + ?2 WHERE token = ?1"));
  URA_RETURN_IF_ERROR(s->vocab_key_insert.Prepare(db, "INSERT OR IGNORE INTO vocab_keys(key, token) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->put_meta.Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->versions.Prepare(
      db, "SELECT v.seq FROM versions v JOIN entities e ON e.rowid = v.entity WHERE e.id = ?1 ORDER BY v.seq"));
  URA_RETURN_IF_ERROR(s->refs_to.Prepare(
      db, "SELECT e.id, e.schema, r.property FROM refs r JOIN entities e ON e.rowid = r.entity"
          " WHERE r.target = ?1 ORDER BY e.schema, e.id LIMIT ?2"));
  URA_RETURN_IF_ERROR(s->stored_identifiers.Prepare(
      db, "SELECT property, value FROM identifiers WHERE entity = ?1 ORDER BY property, value"));
  URA_RETURN_IF_ERROR(s->stored_refs.Prepare(
      db, "SELECT property, target FROM refs WHERE entity = ?1 ORDER BY property, target"));
  URA_RETURN_IF_ERROR(s->has_version.Prepare(
      db, "SELECT 1 FROM versions v JOIN entities e ON e.rowid = v.entity WHERE e.id = ?1 AND v.seq = ?2"));
  URA_RETURN_IF_ERROR(s->stage_member.Prepare(db, "INSERT INTO person_staging(entity, person) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->person_of.Prepare(db, "SELECT person FROM person_members WHERE entity = ?1"));
  URA_RETURN_IF_ERROR(s->person_members.Prepare(
      db, "SELECT entity FROM person_members WHERE person = ?1 ORDER BY entity LIMIT ?2"));
  URA_RETURN_IF_ERROR(s->person_run.Prepare(db, "SELECT value FROM meta WHERE key = 'person_run'"));
  URA_RETURN_IF_ERROR(s->person_stats.Prepare(db, "SELECT value FROM meta WHERE key = 'person_stats'"));
  URA_RETURN_IF_ERROR(s->delete_person.Prepare(db, "DELETE FROM person_members WHERE person = ?1"));
  URA_RETURN_IF_ERROR(s->put_member.Prepare(db, "INSERT OR REPLACE INTO person_members(entity, person) VALUES(?1, ?2)"));
  URA_RETURN_IF_ERROR(s->count_person.Prepare(db, "SELECT count(*) FROM person_members WHERE person = ?1"));
  idx->stmts_ = std::move(s);
  URA_RETURN_IF_ERROR(idx->Refresh());
  return idx;
}

SqliteIndex::~SqliteIndex() {
  Commit().IgnoreError();  // a projection: anything lost is caught up from the journal
  stmts_.reset();
  if (sealed_) {
    sealed_db::CloseSealed(db_);
  } else {
    sqlite3_close(db_);
  }
}

Status SqliteIndex::EachRow(const std::string& sql, const char* what, const std::function<Status(sqlite3_stmt*)>& row) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return SqliteError(db_, path_, what);
  Status result;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    result = row(st);
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = SqliteError(db_, path_, what);
  sqlite3_finalize(st);
  return result;
}

Status SqliteIndex::SetCache(int64_t kib) {
  return Exec(("PRAGMA cache_size=-" + std::to_string(kib)).c_str());
}

Status SqliteIndex::BeginBulk() {
  if (bulk_) return Status::Ok();
  URA_RETURN_IF_ERROR(Exec("BEGIN"));
  bulk_ = true;
  defer_keys_ = false;
  bulk_pending_ = 0;
  return Status::Ok();
}

Status SqliteIndex::BeginRebuild() {
  if (bulk_ || applied_size_ != 0) {
    return FailedPrecondition("a rebuild starts from an empty index (this one has applied " +
                              std::to_string(applied_size_) + " journal entries)");
  }
  // An ingest keeps the usual cache, so that its memory stays flat in the size of the file.
  URA_RETURN_IF_ERROR(SetCache(BulkCacheKiB()));
  if (Status s = BeginBulk(); !s.ok()) {
    SetCache(kCacheKiB).IgnoreError();
    return s;
  }
  defer_keys_ = true;
  deferred_versions_ = 0;
  return Status::Ok();
}

Status SqliteIndex::BeginSnapshot() {
  URA_RETURN_IF_ERROR(BeginBulk());
  // A read transaction starts at the first read: read the applied size inside it.
  return Refresh();
}

Status SqliteIndex::Fail(Status cause) {
  if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
  if (bulk_) SetCache(kCacheKiB).IgnoreError();
  bulk_ = false;
  defer_keys_ = keys_pending_marked_ = false;
  std::vector<DeferredKey>().swap(deferred_keys_);
  bulk_pending_ = 0;
  vocab_delta_.clear();
  // What was applied since the last commit is gone: take the applied size back to what is
  // stored, so that the next CatchUp applies it again.
  Refresh().IgnoreError();
  return cause;
}

Status SqliteIndex::WriteDeferredKeys() {
  // Only the keys of each entity's last version count (an entity may have several versions
  // in one rebuild); then in key order, so that the b-tree is filled from one end.
  std::sort(deferred_keys_.begin(), deferred_keys_.end(), [](const DeferredKey& a, const DeferredKey& b) {
    const uint32_t va = a.version & ~kKeylessMark, vb = b.version & ~kKeylessMark;
    return a.entity != b.entity ? a.entity < b.entity : va > vb;
  });
  size_t kept = 0;
  uint32_t entity = 0, latest = 0;  // `entity`'s last version
  for (size_t i = 0; i < deferred_keys_.size(); ++i) {
    const DeferredKey k = deferred_keys_[i];
    if (i == 0 || k.entity != entity) {
      entity = k.entity;
      latest = k.version & ~kKeylessMark;
    }
    if (k.version == latest) deferred_keys_[kept++] = k;  // else an earlier version's, or a mark
  }
  deferred_keys_.resize(kept);
  std::sort(deferred_keys_.begin(), deferred_keys_.end(), [](const DeferredKey& a, const DeferredKey& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.entity < b.entity;
  });
  // Many rows per statement: tens of millions of rows of two integers, where a statement's
  // own cost would be most of the work.
  for (size_t at = 0; at < deferred_keys_.size();) {
    const bool whole = deferred_keys_.size() - at >= kKeysPerInsert;
    sqlite3_stmt* st = whole ? stmts_->insert_keys.Reset() : stmts_->insert_key.Reset();
    const size_t n = whole ? kKeysPerInsert : 1;
    for (size_t i = 0; i < n; ++i, ++at) {
      sqlite3_bind_int64(st, static_cast<int>(2 * i + 1), deferred_keys_[at].hash);
      sqlite3_bind_int64(st, static_cast<int>(2 * i + 2), deferred_keys_[at].entity);
    }
    if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write entity resolution keys");
  }
  std::vector<DeferredKey>().swap(deferred_keys_);
  keys_pending_marked_ = false;
  return Exec("DELETE FROM meta WHERE key = 'keys_pending'");
}

Status SqliteIndex::Commit() {
  if (!bulk_) return Status::Ok();
  if (keys_pending_marked_) {
    if (Status s = WriteDeferredKeys(); !s.ok()) return Fail(s);
  }
  defer_keys_ = false;
  std::vector<DeferredKey>().swap(deferred_keys_);  // marks of versions without keys, if only those
  if (Status s = FlushVocabulary(); !s.ok()) return Fail(s);
  if (Status s = ExecCommit(); !s.ok()) return Fail(s);
  bulk_ = false;
  return SetCache(kCacheKiB);
}

Status SqliteIndex::FlushVocabulary() {
  Statements& s = *stmts_;
  for (const auto& [token, delta] : vocab_delta_) {
    if (delta == 0) continue;
    sqlite3_stmt* st = s.vocab_get.Reset();
    BindText(st, 1, token);
    const int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) {
      st = s.vocab_update.Reset();
      BindText(st, 1, token);
      sqlite3_bind_int64(st, 2, delta);
      if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "update vocabulary");
      continue;
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read vocabulary");
    if (delta < 0) {
      return Corruption("index database: the vocabulary lacks the name token '" + token + "' (run `ura reindex`)",
                        {path_, std::nullopt, std::nullopt, kIndexDamage});
    }
    st = s.vocab_insert.Reset();
    BindText(st, 1, token);
    BindText(st, 2, text::Skeleton(token));
    sqlite3_bind_int64(st, 3, delta);
    if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write vocabulary");
    std::vector<std::string> keys = {token};
    if (token.size() >= kMinTypoTokenLength) {
      for (std::string& d : text::SingleDeletions(token)) keys.push_back(std::move(d));
    }
    for (const std::string& key : keys) {
      st = s.vocab_key_insert.Reset();
      BindText(st, 1, key);
      BindText(st, 2, token);
      if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write vocabulary keys");
    }
  }
  vocab_delta_.clear();
  return Status::Ok();
}

Status SqliteIndex::ApplyOne(const VersionToApply& v) {
  Statements& s = *stmts_;
  const model::SchemaRegistry& registry = model::SchemaRegistry::Builtin();
  auto step = [&](sqlite3_stmt* st, const char* what) -> Status {
    return sqlite3_step(st) == SQLITE_DONE ? Status::Ok() : SqliteError(db_, path_, what);
  };
  if (defer_keys_ && (sqlite3_last_insert_rowid(db_) >= UINT32_MAX || deferred_versions_ + 1 == kKeylessMark)) {
    // Beyond what a deferred key holds: from here on keys go into the table as they come.
    if (keys_pending_marked_) URA_RETURN_IF_ERROR(WriteDeferredKeys());
    defer_keys_ = false;
  }
  sqlite3_stmt* st = s.get.Reset();
  BindText(st, 1, v.entity->id);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read entity");
  int64_t rowid = 0;
  if (rc == SQLITE_ROW) {
    rowid = sqlite3_column_int64(st, 0);
    const uint64_t stored_sequence = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
    if (stored_sequence >= v.sequence) {  // applied already (e.g. by an earlier, interrupted run)
      sqlite3_reset(st);
      return Status::Ok();
    }
    // A new version: take out what the old one put in. The name tokens are the stored ones;
    // the text is recomputed from the stored JSON by the same projection (ProjectionVersion
    // is checked on open).
    Projection old;
    old.names = DecodeNames(ColumnText(st, 3));
    const std::vector<std::string> old_tokens = old.NameTokens();
    auto old_entity = model::ParseEntityJson(ColumnText(st, 2));
    sqlite3_reset(st);
    if (!old_entity.ok()) {
      return Corruption("index holds an unreadable entity " + v.entity->id + " (run `ura reindex`)",
                        {path_, std::nullopt, std::nullopt, kIndexDamage});
    }
    const std::string old_text = Project(*old_entity, registry).text;
    if (!old_tokens.empty()) {
      st = s.delete_name_fts.Reset();
      sqlite3_bind_int64(st, 1, rowid);
      BindText(st, 2, SpaceJoined(old_tokens));
      URA_RETURN_IF_ERROR(step(st, "update names"));
    }
    for (const std::string& t : old_tokens) vocab_delta_[t] -= 1;
    if (!old_text.empty()) {
      st = s.delete_text_fts.Reset();
      sqlite3_bind_int64(st, 1, rowid);
      BindText(st, 2, SpaceJoined(DistinctTokens(old_text)));
      URA_RETURN_IF_ERROR(step(st, "update text"));
    }
    st = s.delete_identifiers.Reset();
    sqlite3_bind_int64(st, 1, rowid);
    URA_RETURN_IF_ERROR(step(st, "update identifiers"));
    st = s.delete_refs.Reset();
    sqlite3_bind_int64(st, 1, rowid);
    URA_RETURN_IF_ERROR(step(st, "update references"));
    if (entity_keys_.of && !defer_keys_) {  // deferred keys of older versions are dropped when written
      for (const std::string& key : entity_keys_.of(*old_entity).keys) {
        st = s.delete_key.Reset();
        sqlite3_bind_int64(st, 1, EntityKeyHash(key));
        sqlite3_bind_int64(st, 2, rowid);
        URA_RETURN_IF_ERROR(step(st, "update entity resolution keys"));
      }
    }
  } else {
    sqlite3_reset(st);
  }
  const Projection now = Project(*v.entity, registry);
  const std::vector<std::string> now_tokens = now.NameTokens();
  const std::string now_names = now.EncodedNames();
  st = rowid != 0 ? s.update_entity.Reset() : s.insert_entity.Reset();
  if (rowid != 0) {
    sqlite3_bind_int64(st, 1, rowid);
  } else {
    BindText(st, 1, v.entity->id);
  }
  BindText(st, 2, v.entity->schema);
  sqlite3_bind_int64(st, 3, static_cast<sqlite3_int64>(v.sequence));
  BindText(st, 4, now_names);
  sqlite3_bind_text(st, 5, v.json.data(), static_cast<int>(v.json.size()), SQLITE_STATIC);
  BindText(st, 6, now.caption);
  BindText(st, 7, model::EncodeMarking(v.entity->marking));
  URA_RETURN_IF_ERROR(step(st, "write entity"));
  const bool replaced = rowid != 0;  // a new version of an entity the index holds
  if (rowid == 0) rowid = sqlite3_last_insert_rowid(db_);
  st = s.insert_version.Reset();
  sqlite3_bind_int64(st, 1, rowid);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(v.sequence));
  URA_RETURN_IF_ERROR(step(st, "write version"));
  if (!now_tokens.empty()) {
    st = s.insert_name_fts.Reset();
    sqlite3_bind_int64(st, 1, rowid);
    BindText(st, 2, SpaceJoined(now_tokens));
    URA_RETURN_IF_ERROR(step(st, "write names"));
    for (const std::string& t : now_tokens) vocab_delta_[t] += 1;
  }
  if (!now.text.empty()) {
    st = s.insert_text_fts.Reset();
    sqlite3_bind_int64(st, 1, rowid);
    BindText(st, 2, SpaceJoined(DistinctTokens(now.text)));
    URA_RETURN_IF_ERROR(step(st, "write text"));
  }
  // (value, entity, property) rows: identifiers and references.
  for (auto [insert, values, what] : {std::tuple{&s.insert_identifier, &now.identifiers, "write identifier"},
                                      std::tuple{&s.insert_ref, &now.references, "write reference"}}) {
    for (const ProjectedValue& v : *values) {
      st = insert->Reset();
      BindText(st, 1, v.value);
      sqlite3_bind_int64(st, 2, rowid);
      BindText(st, 3, v.property);
      URA_RETURN_IF_ERROR(step(st, what));
    }
  }
  if (entity_keys_.of) {
    const EntityKeys::Derived derived = entity_keys_.of(*v.entity);
    if (defer_keys_ && !derived.keys.empty() && !keys_pending_marked_) {
      URA_RETURN_IF_ERROR(PutMeta("keys_pending", "1"));
      keys_pending_marked_ = true;
    }
    const uint32_t version = defer_keys_ ? ++deferred_versions_ : 0;
    // A version without keys replacing one with keys still supersedes them: a key-less mark.
    if (defer_keys_ && derived.keys.empty() && replaced) {
      deferred_keys_.push_back({0, static_cast<uint32_t>(rowid), version | kKeylessMark});
    }
    for (const std::string& key : derived.keys) {
      if (defer_keys_) {
        deferred_keys_.push_back({EntityKeyHash(key), static_cast<uint32_t>(rowid), version});
        continue;
      }
      st = s.insert_key.Reset();
      sqlite3_bind_int64(st, 1, EntityKeyHash(key));
      sqlite3_bind_int64(st, 2, rowid);
      URA_RETURN_IF_ERROR(step(st, "write entity resolution key"));
    }
    // A new version's record replaces the old one's (or removes it, when it has none).
    st = derived.record.empty() ? s.delete_record.Reset() : s.put_record.Reset();
    sqlite3_bind_int64(st, 1, rowid);
    if (!derived.record.empty()) {
      sqlite3_bind_blob(st, 2, derived.record.data(), static_cast<int>(derived.record.size()), SQLITE_STATIC);
    }
    URA_RETURN_IF_ERROR(step(st, "write entity resolution record"));
  }
  return Status::Ok();
}

// A run's members are staged chunk by chunk (a run's entries may be applied in two calls) and
// replace the canonical persons when its last chunk arrives.
Status SqliteIndex::PutMeta(const char* key, std::string_view value) {
  sqlite3_stmt* st = stmts_->put_meta.Reset();
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  BindText(st, 2, value);
  if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write meta");
  return Status::Ok();
}

Status SqliteIndex::ApplyRunChunk(const model::RunChunk& chunk) {
  if (chunk.chunk == 0) {
    URA_RETURN_IF_ERROR(Exec("DELETE FROM person_staging"));
    URA_RETURN_IF_ERROR(PutMeta("person_stats_pending", chunk.stats_json));
  }
  for (const model::CanonicalPerson& p : chunk.persons) {
    for (const std::string& member : p.members) {
      sqlite3_stmt* st = stmts_->stage_member.Reset();
      BindText(st, 1, member);
      BindText(st, 2, p.id);
      if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write resolution run");
    }
  }
  if (chunk.chunk + 1 < chunk.chunks) return Status::Ok();
  // A record in two persons of one run is not written twice; the index check reports it.
  URA_RETURN_IF_ERROR(Exec("DELETE FROM person_members;"
                           "INSERT OR IGNORE INTO person_members(entity, person) SELECT entity, person FROM person_staging;"
                           "DELETE FROM person_staging;"));
  URA_RETURN_IF_ERROR(PutMeta("person_run", chunk.run_id));
  // What the run reported (its model among it), for matching records ingested after it.
  return Exec("INSERT OR REPLACE INTO meta(key, value) SELECT 'person_stats', value FROM meta"
              " WHERE key = 'person_stats_pending';"
              "DELETE FROM meta WHERE key = 'person_stats_pending'");
}

Status SqliteIndex::ApplyJudgement(const model::Judgement& j) {
  const bool withdrawn = j.decision == model::Decision::kWithdrawn;
  sqlite3_stmt* st = withdrawn ? stmts_->delete_judgement.Reset() : stmts_->put_judgement.Reset();
  BindText(st, 1, std::min(j.a, j.b));  // a pair is one row, whichever way it was named
  BindText(st, 2, std::max(j.a, j.b));
  if (!withdrawn) BindText(st, 3, model::EncodeJudgement(j));
  if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write judgement");
  return Status::Ok();
}

// Each person listed gets exactly its members; a member taken from another person leaves it,
// and a person left with one record is a person no more.
Status SqliteIndex::ApplyUpdate(const model::ResolutionUpdate& update) {
  std::vector<std::string> left;
  for (const model::CanonicalPerson& p : update.persons) {
    sqlite3_stmt* st = stmts_->delete_person.Reset();
    BindText(st, 1, p.id);
    if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write resolution update");
    for (const std::string& member : p.members) {
      URA_ASSIGN_OR_RETURN(std::optional<PersonGroup> before, PersonOf(member, 0));
      if (before && before->person_id != p.id) left.push_back(before->person_id);
      st = stmts_->put_member.Reset();
      BindText(st, 1, member);
      BindText(st, 2, p.id);
      if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write resolution update");
    }
  }
  for (const std::string& person : left) {
    sqlite3_stmt* st = stmts_->count_person.Reset();
    BindText(st, 1, person);
    const int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (n >= 2) continue;
    st = stmts_->delete_person.Reset();
    BindText(st, 1, person);
    if (sqlite3_step(st) != SQLITE_DONE) return SqliteError(db_, path_, "write resolution update");
  }
  return Status::Ok();
}

Status SqliteIndex::Apply(const std::vector<VersionToApply>& versions, const std::vector<ResolutionToApply>& resolution,
                          uint64_t applied_size, ByteView applied_root) {
  const bool own_transaction = !bulk_;
  if (own_transaction) URA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  for (const VersionToApply& v : versions) {
    if (Status s = ApplyOne(v); !s.ok()) return Fail(s);
  }
  for (const ResolutionToApply& r : resolution) {
    Status s = r.chunk ? ApplyRunChunk(*r.chunk) : r.update ? ApplyUpdate(*r.update) : ApplyJudgement(*r.judgement);
    if (!s.ok()) return Fail(s);
  }
  sqlite3_stmt* st = stmts_->put_meta.Reset();
  sqlite3_bind_text(st, 1, "applied_size", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(applied_size));
  if (sqlite3_step(st) != SQLITE_DONE) return Fail(SqliteError(db_, path_, "write meta"));
  st = stmts_->put_meta.Reset();
  sqlite3_bind_text(st, 1, "applied_root", -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, applied_root.data(), static_cast<int>(applied_root.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(st) != SQLITE_DONE) return Fail(SqliteError(db_, path_, "write meta"));
  // Seen by this object's later work at once; Fail() takes it back to the stored value.
  applied_size_ = applied_size;
  applied_root_.assign(applied_root.begin(), applied_root.end());
  if (own_transaction) {
    if (Status s = FlushVocabulary(); !s.ok()) return Fail(s);
    if (Status s = ExecCommit(); !s.ok()) return Fail(s);
    return Status::Ok();
  }
  bulk_pending_ += versions.size();
  if (bulk_pending_ >= kBulkCommitEvery) {
    if (Status s = FlushVocabulary(); !s.ok()) return Fail(s);
    if (Status s = ExecCommit(); !s.ok()) return Fail(s);
    if (Status s = Exec("BEGIN"); !s.ok()) return Fail(s);
    bulk_pending_ = 0;
  }
  return Status::Ok();
}

Result<std::optional<CurrentVersion>> SqliteIndex::Current(const std::string& id) {
  sqlite3_stmt* st = stmts_->get.Reset();
  BindText(st, 1, id);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<CurrentVersion>();
  if (rc != SQLITE_ROW) return SqliteError(db_, path_, "read entity");
  CurrentVersion current{static_cast<uint64_t>(sqlite3_column_int64(st, 1)), std::string(ColumnText(st, 2))};
  sqlite3_reset(st);  // no read snapshot left open
  return std::optional<CurrentVersion>(std::move(current));
}

Result<std::optional<model::Entity>> SqliteIndex::Get(const std::string& id) {
  URA_ASSIGN_OR_RETURN(std::optional<CurrentVersion> cur, Current(id));
  if (!cur) return std::optional<model::Entity>();
  auto e = model::ParseEntityJson(cur->json);
  if (!e.ok()) return Corruption("index holds an unreadable entity " + id + " (run `ura reindex`)", {});
  return std::optional<model::Entity>(std::move(e).value());
}

Result<std::optional<model::Marking>> SqliteIndex::MarkingOf(const std::string& id) {
  sqlite3_stmt* st = stmts_->marking_of.Reset();
  BindText(st, 1, id);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<model::Marking>();
  if (rc != SQLITE_ROW) return SqliteError(db_, path_, "read marking");
  auto marking = model::DecodeMarking(ColumnText(st, 0));
  sqlite3_reset(st);
  if (!marking.ok()) return Corruption("index holds an unreadable marking for " + id + " (run `ura reindex`)", {});
  return std::optional<model::Marking>(std::move(marking).value());
}

Result<std::vector<uint64_t>> SqliteIndex::VersionSequences(const std::string& id) {
  sqlite3_stmt* st = stmts_->versions.Reset();
  BindText(st, 1, id);
  std::vector<uint64_t> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.push_back(static_cast<uint64_t>(sqlite3_column_int64(st, 0)));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read versions");
  return out;
}

Result<std::vector<Reference>> SqliteIndex::ReferencesTo(const std::string& id, size_t limit) {
  sqlite3_stmt* st = stmts_->refs_to.Reset();
  BindText(st, 1, id);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(limit));
  std::vector<Reference> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out.push_back({std::string(ColumnText(st, 0)), std::string(ColumnText(st, 1)), std::string(ColumnText(st, 2))});
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read references");
  return out;
}

Result<std::optional<PersonGroup>> SqliteIndex::PersonOf(const std::string& id, size_t member_limit) {
  sqlite3_stmt* st = stmts_->person_of.Reset();
  BindText(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read canonical person");
  PersonGroup group;
  group.person_id = rc == SQLITE_ROW ? std::string(ColumnText(st, 0)) : id;  // else perhaps a person's id
  sqlite3_reset(st);
  st = stmts_->person_members.Reset();
  BindText(st, 1, group.person_id);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(member_limit) + 1);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) group.members.emplace_back(ColumnText(st, 0));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read canonical person");
  if (group.members.empty()) return std::optional<PersonGroup>();
  if (group.members.size() > member_limit) {
    group.members.resize(member_limit);
    group.truncated = true;
  }
  st = stmts_->person_run.Reset();
  if (sqlite3_step(st) == SQLITE_ROW) group.run_id = ColumnText(st, 0);
  sqlite3_reset(st);
  return std::optional<PersonGroup>(std::move(group));
}

Status SqliteIndex::ForEachPerson(
    const std::function<Status(const std::string& person, const std::vector<std::string>& members)>& fn) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT person, entity FROM person_members ORDER BY person, entity", -1, &st, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, path_, "read canonical persons");
  }
  std::string person;
  std::vector<std::string> members;
  Status status;
  int rc;
  while (status.ok() && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::string_view p = ColumnText(st, 0);
    if (p != person && !members.empty()) {
      status = fn(person, members);
      members.clear();
    }
    person = p;
    members.emplace_back(ColumnText(st, 1));
  }
  sqlite3_finalize(st);
  if (!status.ok()) return status;
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read canonical persons");
  return members.empty() ? Status::Ok() : fn(person, members);
}

Result<std::string> SqliteIndex::LatestRunStats() {
  sqlite3_stmt* st = stmts_->person_stats.Reset();
  std::string stats;
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) stats = ColumnText(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read meta");
  return stats;
}

Result<std::vector<Candidate>> SqliteIndex::RunCandidateQuery(const std::string& sql, const std::string& match,
                                                              const std::vector<std::string>& schemata, size_t limit) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return SqliteError(db_, path_, "prepare search");
  BindText(st, 1, match);
  for (size_t i = 0; i < schemata.size(); ++i) BindText(st, static_cast<int>(i + 2), schemata[i]);
  sqlite3_bind_int64(st, static_cast<int>(schemata.size() + 2), static_cast<sqlite3_int64>(limit));
  std::vector<Candidate> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Candidate c;
    c.id = ColumnText(st, 0);
    c.schema = ColumnText(st, 1);
    c.names = ColumnText(st, 2);
    c.caption = ColumnText(st, 3);
    if (sqlite3_column_count(st) > 4) c.matched_property = ColumnText(st, 4);
    out.push_back(std::move(c));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "search");
  return out;
}

Result<std::vector<Candidate>> SqliteIndex::MatchNames(const std::vector<std::vector<std::string>>& groups,
                                                       const std::vector<std::string>& schemata, size_t limit) {
  if (!vocab_delta_.empty()) URA_RETURN_IF_ERROR(FlushVocabulary());
  for (const auto& group : groups) {
    for (const std::string& t : group) URA_RETURN_IF_ERROR(CheckFolded(t));
  }
  std::string match;
  for (const auto& group : groups) {
    if (group.empty()) continue;
    if (!match.empty()) match += " AND ";
    match += "(";
    for (size_t i = 0; i < group.size(); ++i) {
      if (i) match += " OR ";
      match += FtsString(group[i]);
    }
    match += ")";
  }
  if (match.empty()) return std::vector<Candidate>();
  const std::string sql = "SELECT e.id, e.schema, e.names, e.caption FROM name_fts JOIN entities e ON e.rowid = name_fts.rowid"
                          " WHERE name_fts MATCH ?1" +
                          SchemaFilter(schemata.size()) + " LIMIT ?" + std::to_string(schemata.size() + 2);
  return RunCandidateQuery(sql, match, schemata, limit);
}

Result<std::vector<Candidate>> SqliteIndex::MatchText(const std::vector<std::string>& tokens,
                                                      const std::vector<std::string>& schemata, size_t limit) {
  for (const std::string& t : tokens) URA_RETURN_IF_ERROR(CheckFolded(t));
  std::string match;
  for (const std::string& t : tokens) {
    if (!match.empty()) match += " AND ";
    match += FtsString(t);
  }
  if (match.empty()) return std::vector<Candidate>();
  const std::string sql = "SELECT e.id, e.schema, e.names, e.caption FROM text_fts JOIN entities e ON e.rowid = text_fts.rowid"
                          " WHERE text_fts MATCH ?1" +
                          SchemaFilter(schemata.size()) + " LIMIT ?" + std::to_string(schemata.size() + 2);
  return RunCandidateQuery(sql, match, schemata, limit);
}

Result<std::vector<Candidate>> SqliteIndex::FindIdentifier(const std::string& value,
                                                           const std::vector<std::string>& schemata, size_t limit) {
  const std::string sql = "SELECT e.id, e.schema, e.names, e.caption, i.property FROM identifiers i"
                          " JOIN entities e ON e.rowid = i.entity WHERE i.value = ?1" +
                          SchemaFilter(schemata.size()) + " LIMIT ?" + std::to_string(schemata.size() + 2);
  return RunCandidateQuery(sql, value, schemata, limit);
}

Result<std::vector<std::string>> SqliteIndex::FindByKey(const std::string& key, size_t limit) {
  sqlite3_stmt* st = stmts_->find_key.Reset();
  sqlite3_bind_int64(st, 1, EntityKeyHash(key));
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(limit));
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.emplace_back(ColumnText(st, 0));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read entity resolution keys");
  return out;
}

namespace {

Status UnreadableJudgement(const std::string& path, const Status& why) {
  return Corruption("the index holds an unreadable judgement: " + why.message() + " (run `ura reindex`)",
                    {path, std::nullopt, std::nullopt, kIndexDamage});
}

}  // namespace

Status SqliteIndex::ForEachJudgement(const std::function<Status(const model::Judgement&)>& fn) {
  return EachRow("SELECT json FROM judgements ORDER BY a, b", "read judgements", [&](sqlite3_stmt* st) {
    auto j = model::DecodeJudgement(ColumnText(st, 0));
    return j.ok() ? fn(*j) : UnreadableJudgement(path_, j.status());
  });
}

Result<std::vector<model::Judgement>> SqliteIndex::JudgementsOf(const std::string& id) {
  sqlite3_stmt* st = stmts_->judgements_of.Reset();
  BindText(st, 1, id);
  std::vector<model::Judgement> out;
  Status bad;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto j = model::DecodeJudgement(ColumnText(st, 0));
    if (!j.ok()) {
      bad = UnreadableJudgement(path_, j.status());
      break;
    }
    out.push_back(std::move(j).value());
  }
  sqlite3_reset(st);
  URA_RETURN_IF_ERROR(bad);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read judgements");
  return out;
}

Status SqliteIndex::ScanKeyedRecords(const std::function<Status(std::string_view record)>& fn) {
  return EachRow("SELECT record FROM entity_records", "read entity resolution records",
                 [&](sqlite3_stmt* st) { return fn(ColumnBlob(st, 0)); });
}

Result<std::optional<std::string>> SqliteIndex::KeyedRecord(const std::string& id) {
  sqlite3_stmt* st = stmts_->get_record.Reset();
  BindText(st, 1, id);
  const int rc = sqlite3_step(st);
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) out.emplace(ColumnBlob(st, 0));
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read entity resolution record");
  return out;
}

Result<std::vector<TokenVariant>> SqliteIndex::NameTokenVariants(const std::string& token, size_t limit) {
  if (!vocab_delta_.empty()) URA_RETURN_IF_ERROR(FlushVocabulary());
  std::vector<TokenVariant> out;
  // The token itself first (never cut by the limit), then the others, most used first.
  sqlite3_stmt* st = stmts_->vocab_get.Reset();
  BindText(st, 1, token);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0) {
    out.push_back({token, static_cast<uint64_t>(sqlite3_column_int64(st, 0))});
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read vocabulary");
  if (token.size() < kMinTypoTokenLength) return out;
  std::vector<std::string> keys = {token};
  for (std::string& d : text::SingleDeletions(token)) keys.push_back(std::move(d));
  std::string sql =
      "SELECT v.token, v.entities FROM vocab v WHERE v.entities > 0 AND v.token != ?1 AND (v.token IN"
      " (SELECT token FROM vocab_keys WHERE key IN (";
  for (size_t i = 0; i < keys.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 2);
  const int skeleton_param = static_cast<int>(keys.size() + 2);
  sql += ")) OR v.skeleton = ?" + std::to_string(skeleton_param) + ") ORDER BY v.entities DESC, v.token LIMIT ?" +
         std::to_string(skeleton_param + 1);
  st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    return SqliteError(db_, path_, "prepare variants");
  }
  BindText(st, 1, token);
  for (size_t i = 0; i < keys.size(); ++i) BindText(st, static_cast<int>(i + 2), keys[i]);
  BindText(st, skeleton_param, text::Skeleton(token));
  sqlite3_bind_int64(st, skeleton_param + 1, static_cast<sqlite3_int64>(limit));
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out.push_back({std::string(ColumnText(st, 0)), static_cast<uint64_t>(sqlite3_column_int64(st, 1))});
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read vocabulary");
  return out;
}

Result<std::optional<StoredEntity>> SqliteIndex::Stored(const std::string& id) {
  Statements& s = *stmts_;
  sqlite3_stmt* st = s.get.Reset();
  BindText(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<StoredEntity>();
  if (rc != SQLITE_ROW) return SqliteError(db_, path_, "read entity");
  StoredEntity e;
  e.row = sqlite3_column_int64(st, 0);
  e.sequence = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
  e.json = ColumnText(st, 2);
  e.names = ColumnText(st, 3);
  e.schema = ColumnText(st, 4);
  e.caption = ColumnText(st, 5);
  e.marking = ColumnText(st, 6);
  sqlite3_reset(st);
  for (auto [stmt, out] : {std::pair{&s.stored_identifiers, &e.identifiers}, std::pair{&s.stored_refs, &e.references}}) {
    st = stmt->Reset();
    sqlite3_bind_int64(st, 1, e.row);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      out->push_back({std::string(ColumnText(st, 0)), std::string(ColumnText(st, 1))});
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return SqliteError(db_, path_, "read entity rows");
  }
  return std::optional<StoredEntity>(std::move(e));
}

Result<bool> SqliteIndex::HasVersion(const std::string& id, uint64_t sequence) {
  sqlite3_stmt* st = stmts_->has_version.Reset();
  BindText(st, 1, id);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(sequence));
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db_, path_, "read versions");
  return rc == SQLITE_ROW;
}

Result<IndexTotals> SqliteIndex::Totals() {
  IndexTotals t;
  const std::pair<const char*, uint64_t*> queries[] = {
      {"SELECT count(*) FROM entities", &t.entities},
      {"SELECT count(*) FROM versions", &t.versions},
      {"SELECT count(*) FROM identifiers", &t.identifiers},
      {"SELECT count(*) FROM refs", &t.references},
      {"SELECT coalesce(sum(doc), 0) FROM name_terms", &t.name_postings},
      {"SELECT coalesce(sum(doc), 0) FROM text_terms", &t.text_postings},
      {"SELECT count(*) FROM person_members", &t.person_members},
      {"SELECT count(*) FROM person_staging", &t.person_members_pending},
      {"SELECT count(*) FROM entity_keys", &t.entity_keys},
      {"SELECT count(*) FROM entity_records", &t.keyed_records},
      {"SELECT count(*) FROM judgements", &t.judgements},
      {"SELECT (SELECT count(*) FROM vocab v LEFT JOIN name_terms n ON n.term = v.token"
       "         WHERE v.entities != coalesce(n.doc, 0))"
       "     + (SELECT count(*) FROM name_terms n LEFT JOIN vocab v ON v.token = n.term WHERE v.token IS NULL)",
       &t.vocabulary_mismatches},
  };
  for (const auto& [sql, out] : queries) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) return SqliteError(db_, path_, "count");
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = static_cast<uint64_t>(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return SqliteError(db_, path_, "count");
  }
  // Every posting of both token indexes, through fts5vocab 'instance' tables made for this read
  // (in the temp schema, which lives in memory: no file, no format change).
  for (auto [table, into] : {std::pair{"name_fts", &t.name_digest}, std::pair{"text_fts", &t.text_digest}}) {
    const std::string vocab = std::string("postings_") + table;
    auto* digest = into;  // a plain variable: clang 14 cannot capture a structured binding
    URA_RETURN_IF_ERROR(Exec(("CREATE VIRTUAL TABLE IF NOT EXISTS temp." + vocab + " USING fts5vocab(main, " + table +
                              ", 'instance')").c_str()));
    URA_RETURN_IF_ERROR(EachRow("SELECT term, doc FROM temp." + vocab, "read postings", [&](sqlite3_stmt* st) {
      digest->Add(ColumnText(st, 0), sqlite3_column_int64(st, 1));
      return Status::Ok();
    }));
  }
  URA_RETURN_IF_ERROR(EachRow("SELECT key, entity FROM entity_keys", "read entity resolution keys", [&](sqlite3_stmt* st) {
    t.key_digest.Add(std::to_string(sqlite3_column_int64(st, 0)), sqlite3_column_int64(st, 1));
    return Status::Ok();
  }));
  URA_RETURN_IF_ERROR(
      EachRow("SELECT record, entity FROM entity_records", "read entity resolution records", [&](sqlite3_stmt* st) {
        t.record_digest.Add(ColumnBlob(st, 0), sqlite3_column_int64(st, 1));
        return Status::Ok();
      }));
  URA_RETURN_IF_ERROR(EachRow("SELECT json FROM judgements", "read judgements", [&](sqlite3_stmt* st) {
    t.judgement_digest.Add(ColumnText(st, 0), 0);
    return Status::Ok();
  }));
  sqlite3_stmt* st = stmts_->person_run.Reset();
  if (sqlite3_step(st) == SQLITE_ROW) t.person_run = ColumnText(st, 0);
  sqlite3_reset(st);
  URA_RETURN_IF_ERROR(EachRow("SELECT person, entity FROM person_members", "read canonical persons", [&](sqlite3_stmt* st) {
    t.person_digest.Add(std::string(ColumnText(st, 0)) + " " + std::string(ColumnText(st, 1)), 0);
    return Status::Ok();
  }));
  return t;
}

Result<std::map<std::string, uint64_t>> SqliteIndex::CountBySchema() {
  std::map<std::string, uint64_t> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT schema, count(*) FROM entities GROUP BY schema", -1, &st, nullptr);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out[std::string(ColumnText(st, 0))] = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return SqliteError(db_, path_, "count entities");
  return out;
}

Status SqliteIndex::ForEach(const model::SchemaRegistry& registry, const std::string& schema,
                            const std::function<Status(const model::Entity&)>& fn) {
  // Only the rows of `schema` and its descendants are read and parsed (the others are left
  // by the query, not parsed and dropped).
  std::vector<std::string> schemata;
  if (!schema.empty()) {
    for (const model::Schema* s : registry.All()) {
      if (s->IsA(schema)) schemata.push_back(s->name());
    }
    if (schemata.empty()) return Status::Ok();
  }
  return Scan(schema.empty() ? nullptr : &schemata,
              [&](std::string_view id, uint64_t, std::string_view json) -> Status {
                auto e = model::ParseEntityJson(json);
                if (!e.ok()) return Corruption("index holds an unreadable entity " + std::string(id) + " (run `ura reindex`)", {});
                return fn(*e);
              });
}

Status SqliteIndex::ForEachCurrent(const std::function<Status(const std::string&, const CurrentVersion&)>& fn) {
  return Scan(nullptr, [&](std::string_view id, uint64_t seq, std::string_view json) {
    return fn(std::string(id), CurrentVersion{seq, std::string(json)});
  });
}

Status SqliteIndex::Scan(const std::vector<std::string>* schemata,
                         const std::function<Status(std::string_view, uint64_t, std::string_view)>& fn) {
  // In id order every row is fetched through the id index, at random (export and the graph
  // rely on the order; whole-store reads that do not, ScanKeyedRecords, read a table in order).
  std::string sql = "SELECT id, seq, json FROM entities";
  if (schemata != nullptr) {
    sql += " WHERE schema IN (?";
    for (size_t i = 1; i < schemata->size(); ++i) sql += ", ?";
    sql += ")";
  }
  sql += " ORDER BY id";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return SqliteError(db_, path_, "read entities");
  for (size_t i = 0; schemata != nullptr && i < schemata->size(); ++i) BindText(st, static_cast<int>(i + 1), (*schemata)[i]);
  Status result;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    result = fn(ColumnText(st, 0), static_cast<uint64_t>(sqlite3_column_int64(st, 1)), ColumnText(st, 2));
    if (!result.ok()) break;
  }
  if (result.ok() && rc != SQLITE_DONE) result = SqliteError(db_, path_, "read entities");
  sqlite3_finalize(st);
  return result;
}

// On a read-only connection of its own, so that it can run beside the comparison with the
// journal (it reads and authenticates every page of the file).
Status SqliteIndex::CheckStorage() {
  // The file opened for this object already: failing to open it again is damage too (a first
  // page changed since, say), reported as the check's finding.
  auto damaged = [](std::string_view what) {
    return Corruption("index database is damaged: " + std::string(what.substr(0, 500)), {});
  };
  sqlite3* db = nullptr;
  if (sealed_) {
    auto opened = sealed_db::OpenSealed(path_, key_.view(), SQLITE_OPEN_READONLY);
    if (!opened.ok()) return damaged(opened.status().message());
    db = *opened;
  } else if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string why = db != nullptr ? sqlite3_errmsg(db) : "cannot open it";
    sqlite3_close_v2(db);
    return damaged(why);
  }
  sqlite3_stmt* st = nullptr;
  std::string problems;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, nullptr) != SQLITE_OK) {
    problems = sqlite3_errmsg(db);
  } else {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string_view line = ColumnText(st, 0);
      if (line != "ok") problems += (problems.empty() ? "" : "; ") + std::string(line);
    }
    if (rc != SQLITE_DONE && problems.empty()) problems = sqlite3_errmsg(db);
  }
  sqlite3_finalize(st);
  if (sealed_) {
    sealed_db::CloseSealed(db);
  } else {
    sqlite3_close_v2(db);
  }
  if (!problems.empty()) return damaged(problems);
  return Status::Ok();
}

Result<std::string> SqliteIndex::ContentDigest() {
  if (!vocab_delta_.empty()) URA_RETURN_IF_ERROR(FlushVocabulary());
  crypto::Sha256Hasher hash;
  auto add_query = [&](const char* sql) -> Status {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) return SqliteError(db_, path_, "digest");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        std::string_view v = ColumnText(st, i);
        hash.Update(AsBytes(v));
        hash.Update(AsBytes(std::string_view("\x1e", 1)));
      }
      hash.Update(AsBytes(std::string_view("\n", 1)));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? Status::Ok() : SqliteError(db_, path_, "digest");
  };
  URA_RETURN_IF_ERROR(add_query("SELECT id, schema, seq, names, caption, marking, json FROM entities ORDER BY id"));
  URA_RETURN_IF_ERROR(add_query(
      "SELECT e.id, v.seq FROM versions v JOIN entities e ON e.rowid = v.entity ORDER BY e.id, v.seq"));
  URA_RETURN_IF_ERROR(add_query(
      "SELECT i.value, e.id, i.property FROM identifiers i JOIN entities e ON e.rowid = i.entity"
      " ORDER BY i.value, e.id, i.property"));
  URA_RETURN_IF_ERROR(add_query(
      "SELECT r.target, e.id, r.property FROM refs r JOIN entities e ON e.rowid = r.entity"
      " ORDER BY r.target, e.id, r.property"));
  URA_RETURN_IF_ERROR(add_query("SELECT token, skeleton, entities FROM vocab WHERE entities > 0 ORDER BY token"));
  URA_RETURN_IF_ERROR(add_query(
      "SELECT k.key, e.id FROM entity_keys k JOIN entities e ON e.rowid = k.entity ORDER BY k.key, e.id"));
  URA_RETURN_IF_ERROR(add_query(
      "SELECT e.id, hex(r.record) FROM entity_records r JOIN entities e ON e.rowid = r.entity ORDER BY e.id"));
  URA_RETURN_IF_ERROR(add_query("SELECT key, value FROM meta WHERE key LIKE 'person_%' ORDER BY key"));
  URA_RETURN_IF_ERROR(add_query("SELECT entity, person FROM person_members ORDER BY entity"));
  URA_RETURN_IF_ERROR(add_query("SELECT a, b, json FROM judgements ORDER BY a, b"));
  URA_RETURN_IF_ERROR(add_query("SELECT entity, person FROM person_staging ORDER BY entity, person"));
  // The token indexes: which entities each vocabulary token finds.
  URA_RETURN_IF_ERROR(add_query(
      "SELECT v.token, (SELECT group_concat(id, ',') FROM (SELECT e.id FROM name_fts JOIN entities e"
      " ON e.rowid = name_fts.rowid WHERE name_fts MATCH '\"' || v.token || '\"' ORDER BY e.id))"
      " FROM vocab v WHERE v.entities > 0 ORDER BY v.token"));
  return HexEncode(hash.Final());
}

std::string IndexPath(const journal::StorePaths& paths) { return JoinPath(JoinPath(paths.dir, "index"), "entities.sqlite"); }

Result<std::string> PrepareIndexPath(FileSystem& fs, const journal::StorePaths& paths) {
  URA_RETURN_IF_ERROR(fs.CreateDir(JoinPath(paths.dir, "index")));
  return IndexPath(paths);
}

Status DeleteIndexFiles(FileSystem& fs, const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (fs.Exists(path + suffix)) URA_RETURN_IF_ERROR(fs.Remove(path + suffix));
  }
  return Status::Ok();
}

}  // namespace ura::index
