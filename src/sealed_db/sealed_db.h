// Sealed SQLite databases: an SQLite VFS that encrypts every database page at rest, so that
// the store's SQLite index (entities, FTS5 tables) never reaches the disk in plaintext.
//
// How it works. `OpenSealed` opens the database through the VFS "ura-sealed-v1", a shim over
// SQLite's default unix VFS that encrypts page images on their way to disk and authenticates
// and decrypts them on their way back, in the spirit of SQLCipher's page encryption. All
// cryptography is libsodium's: XChaCha20-Poly1305 (IETF, detached tag) and randombytes_buf.
//
// Page format (page size 4096; SQLite keeps the last 40 bytes of every page unused because
// the database is created with 40 "reserved bytes", file header byte 20):
//
//   bytes [0, 4056)     the page encrypted with XChaCha20-Poly1305 under the 32-byte key
//   bytes [4056, 4080)  24-byte nonce, fresh from randombytes_buf at every write
//   bytes [4080, 4096)  16-byte Poly1305 tag
//   AAD                 "ura-sealed-db-v1" (16 ASCII bytes) || page number (4 bytes, big-endian)
//
// Page 1 is encrypted like any other, SQLite's 100-byte file header included, so the file does
// not begin with "SQLite format 3". The page number in the AAD means a page moved or copied to
// another page number fails authentication; an all-zero page fails too. On read the 40 reserved
// bytes are returned to SQLite as zeros.
//
// Files. Main database: page k (1-based) at byte (k-1)*4096. SQLite reads sub-page ranges (the
// 100-byte header at offset 0); the VFS reads, authenticates and decrypts the whole page and
// copies the part asked for. A read wholly past the end of the file returns zeros and
// SQLITE_IOERR_SHORT_READ, as the unix VFS does; a page cut short inside the file is damage.
// Writes must be whole, aligned pages (anything else is refused with SQLITE_IOERR_WRITE), and
// a page 1 whose header does not say "4096-byte pages, 40 reserved bytes" is refused too, so a
// misconfigured database fails loudly instead of losing the last 40 bytes of every page.
//
// WAL: a 32-byte header, then frames of a 24-byte frame header and a 4096-byte page. Headers
// stay plaintext (SQLite needs them); the page of each frame is sealed as above with the page
// number taken from its frame header (remembered from the header write just before, or read
// back for SQLite's in-place rewrite of a frame). SQLite's frame checksums cover the
// plaintext page, so reads return plaintext and recovery checks pass. For that to hold, the
// reserved bytes SQLite wrote must be the zeros reads return; the VFS refuses (loudly) a WAL
// page whose reserved bytes are not zero rather than commit a frame recovery would reject.
// Crash recovery reads whole frames (header and page in one read). A frame that does not
// authenticate there is returned with page number 0, which SQLite treats as the end of the
// log, exactly like a frame torn by a crash; but if a later frame of the same WAL generation
// (same salt) is an authenticated commit frame, the failing frame had been committed and
// synced, so it is damage and the read fails with SQLITE_IOERR_DATA instead.
//
// Everything else. The -shm file (the WAL index: page numbers, frame numbers, salts and
// checksums, no page content) passes through unencrypted. Rollback journals, statement
// journals, temporary databases, sorter spill files and super-journals are never allowed to
// exist: the VFS refuses to open any file other than a main database whose key is registered
// and its WAL (SQLITE_CANTOPEN), so an operation that would need one fails instead of writing
// plaintext. OpenSealed configures the connection so that none is needed: WAL mode, set
// before any data is written (the version bytes are written with journal_mode=OFF on the
// empty database, so not even an empty rollback journal is created), and temp_store=MEMORY
// (statement journals, temp tables, sorts and VACUUM's copy stay in memory). Memory-mapped
// I/O is off (the VFS's io methods are version 2, without xFetch).
//
// Failures. A page that fails authentication makes xRead return SQLITE_IOERR_DATA, which the
// SQLite call in progress returns (extended result codes are enabled on the connection): the
// caller reports the index as damaged and rebuilds it from the journal. The VFS logs the file
// and page through sqlite3_log, never key bytes.
//
// What is not protected: the -shm file and the plaintext WAL frame headers (which pages
// change, when, how often); file sizes (the number of pages); that an SQLite database is there
// at all. Freshness is not protected: an older copy of a page, the whole file or the WAL put
// back in place, or a WAL truncated at a frame boundary, is accepted (it authenticates; SQLite
// sees a consistent earlier state), as with SQLCipher. Keys live in process memory (the
// registry, and a copy in each open file) while the database is open.
//
// Keys. A process-wide, mutex-protected registry maps each database's full path name to its
// 32-byte key (never to a URI or any string that could be logged); the VFS copies the key into
// each file it opens. The registry entry is wiped when the last file of that database closes
// (CloseSealed, or the last statement of a zombie connection being finalized).
//
// Thread safety: OpenSealed and CloseSealed may be called from any thread, for the same or
// different paths. A returned connection follows SQLite's threading rules (the library's
// threading mode and the flags passed to OpenSealed).
#pragma once

#include <cstddef>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

struct sqlite3;

namespace ura::sealed_db {

inline constexpr size_t kKeySize = 32;
inline constexpr int kPageSize = 4096;
inline constexpr int kReservedBytes = 40;  // 24-byte nonce + 16-byte tag
// Name of the registered VFS. Opening a database with it directly fails unless OpenSealed has
// registered the database's key.
inline constexpr char kVfsName[] = "ura-sealed-v1";

// Opens (with SQLITE_OPEN_CREATE in `flags`, creates) the sealed database at `path` with a
// 32-byte `key`. `flags` are sqlite3_open_v2 flags (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
// mutex flags...); SQLITE_OPEN_MEMORY and SQLITE_OPEN_URI are refused, and `path` is a plain file
// path (not ":memory:", not a "file:" URI). A new database gets 4096-byte pages, 40 reserved
// bytes and journal_mode=WAL before anything else is written; every connection gets
// temp_store=MEMORY and extended result codes. Close the result with CloseSealed.
//
// Errors: kInvalidArgument (key size, path, flags); kFailedPrecondition if the key does not
// match the database (its first page fails authentication; also when the database is already
// open in this process under another key, or is a plaintext SQLite database), the message
// naming the file and never a key byte; kDataLoss (with a CorruptionLocation) if another page
// fails authentication or SQLite finds corruption; kNotFound if the file does not exist and
// SQLITE_OPEN_CREATE was not given; kIoError otherwise. On error nothing was written to an
// existing database.
Result<sqlite3*> OpenSealed(const std::string& path, ByteView key, int flags);

// Closes a connection from OpenSealed (sqlite3_close_v2: if statements are still unfinalized
// the files close when the last one is finalized). The database's key is wiped from the
// registry when its last open file closes. Accepts nullptr.
void CloseSealed(sqlite3* db);

}  // namespace ura::sealed_db
