#include "sealed_db/sealed_db.h"

#include <sqlite3.h>

#include <string_view>

#include "sealed_db/sealed_vfs.h"

namespace ura::sealed_db {
namespace {

using internal::AuthFailures;

// Turns a failed SQLite call during OpenSealed into a Status, using what the VFS saw: page 1
// of the main file failing authentication means the key does not match.
Status OpenError(const std::string& path, sqlite3* db, int rc, std::string_view step,
                 const AuthFailures& before, const AuthFailures& after) {
  if (after.page1_plaintext > before.page1_plaintext) {
    return FailedPrecondition("index " + path +
                              " is a plaintext SQLite database, not a sealed one: delete it and "
                              "rebuild the index from the journal");
  }
  if (after.page1 > before.page1) {
    return FailedPrecondition("index key does not match " + path +
                              " (or the index's first page is damaged): open it with the key it "
                              "was sealed with, or delete it and rebuild the index from the "
                              "journal");
  }
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (after.total > before.total) {
    return Corruption("index " + path + " is damaged: a page failed authentication (" +
                          std::string(step) + "); rebuild the index from the journal",
                      {after.last_file, after.last_offset, std::nullopt, "sealed-page"});
  }
  const int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Corruption("index " + path + " is damaged (" + std::string(step) + ": " + detail +
                          "); rebuild the index from the journal",
                      {path, std::nullopt, std::nullopt, "sqlite-corrupt"});
  }
  return IoError("index " + path + ": " + std::string(step) + ": " + detail);
}

struct QueryResult {
  int rc = SQLITE_OK;
  std::string text;  // first column of the first row, empty if none
};

// Runs one statement to completion.
QueryResult QueryText(sqlite3* db, const char* sql) {
  QueryResult result;
  sqlite3_stmt* stmt = nullptr;
  result.rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (result.rc == SQLITE_OK) {
    while ((result.rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(stmt, 0);
      if (result.text.empty() && value != nullptr)
        result.text = reinterpret_cast<const char*>(value);
    }
    if (result.rc == SQLITE_DONE) result.rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return result;
}

// Configures a freshly opened connection (see OpenSealed).
Status Configure(sqlite3* db, const std::string& path, bool read_only,
                 const internal::KeyLease& lease, const AuthFailures& before) {
  auto step = [&](const char* sql) -> Result<std::string> {
    QueryResult result = QueryText(db, sql);
    if (result.rc != SQLITE_OK) {
      return OpenError(path, db, sqlite3_extended_errcode(db), sql, before, lease.failures());
    }
    return result.text;
  };
  sqlite3_extended_result_codes(db, 1);
  URA_RETURN_IF_ERROR(step("PRAGMA temp_store=MEMORY").status());
  URA_ASSIGN_OR_RETURN(std::string page_count, step("PRAGMA page_count"));
  if (page_count == "0") {
    if (read_only) return NotFound("index " + path + " is empty and was opened read-only");
    // New database: page size and reserve first, then WAL, with the one write needed for it
    // (the version bytes of page 1) done without a rollback journal.
    URA_RETURN_IF_ERROR(step("PRAGMA page_size=4096").status());
    int reserve = kReservedBytes;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK)
      return IoError("index " + path + ": cannot reserve bytes in pages");
    URA_RETURN_IF_ERROR(step("PRAGMA journal_mode=OFF").status());
  }
  URA_ASSIGN_OR_RETURN(std::string journal_mode,
                       step(read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL"));
  if (journal_mode != "wal") {
    return FailedPrecondition("index " + path + " is not in WAL mode (journal_mode=" +
                              journal_mode + "); delete it and rebuild the index");
  }
  URA_ASSIGN_OR_RETURN(std::string page_size, step("PRAGMA page_size"));
  int reserve = -1;  // query: the larger of the requested and the actual reserve
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK ||
      page_size != std::to_string(kPageSize) || reserve != kReservedBytes) {
    return FailedPrecondition("index " + path +
                              " does not have 4096-byte pages with 40 reserved "
                              "bytes (page_size=" +
                              page_size + ", reserve=" + std::to_string(reserve) +
                              "); delete it and rebuild the index");
  }
  return Status::Ok();
}

}  // namespace

Result<sqlite3*> OpenSealed(const std::string& path, ByteView key, int flags) {
  if (key.size() != kKeySize) {
    return InvalidArgument("an index key must be 32 bytes, not " + std::to_string(key.size()));
  }
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0 ||
      path.find('\0') != std::string::npos) {
    return InvalidArgument("a sealed index needs a plain file path, not '" + path + "'");
  }
  if ((flags & (SQLITE_OPEN_MEMORY | SQLITE_OPEN_URI)) != 0) {
    return InvalidArgument("a sealed index cannot be opened in memory or by URI");
  }
  URA_RETURN_IF_ERROR(internal::EnsureVfsRegistered());
  URA_ASSIGN_OR_RETURN(std::string full_path, internal::FullPathname(path));
  // The lease keeps the key registered until the main file holds its own reference.
  URA_ASSIGN_OR_RETURN(internal::KeyLease lease, internal::KeyLease::Acquire(full_path, key));
  const AuthFailures before = lease.failures();

  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_EXRESCODE, kVfsName);
  if (rc != SQLITE_OK) {
    Status status = (rc & 0xff) == SQLITE_CANTOPEN && (flags & SQLITE_OPEN_CREATE) == 0
                        ? NotFound("index " + path + " cannot be opened: " + sqlite3_errmsg(db))
                        : OpenError(path, db, rc, "open", before, lease.failures());
    sqlite3_close_v2(db);
    return status;
  }
  Status configured = Configure(db, path, (flags & SQLITE_OPEN_READONLY) != 0, lease, before);
  if (!configured.ok()) {
    sqlite3_close_v2(db);
    return configured;
  }
  return db;
}

void CloseSealed(sqlite3* db) { sqlite3_close_v2(db); }

}  // namespace ura::sealed_db
