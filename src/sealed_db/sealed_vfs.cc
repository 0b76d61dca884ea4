// The "ura-sealed-v1" VFS: see sealed_db.h for the design and the page format.
#include "sealed_db/sealed_vfs.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "crypto/secret.h"
#include "sealed_db/sealed_db.h"

namespace ura::sealed_db::internal {
namespace {

constexpr int kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr int kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
constexpr int kSealedBytes = kPageSize - kReservedBytes;                   // 4056
static_assert(kNonceBytes + kTagBytes == kReservedBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kKeySize);

constexpr char kAadPrefix[] = "ura-sealed-db-v1";  // 16 bytes without the terminating NUL
constexpr int kAadPrefixBytes = sizeof(kAadPrefix) - 1;
constexpr int kAadBytes = kAadPrefixBytes + 4;

constexpr int kWalHeaderBytes = 32;
constexpr int kWalFrameHeaderBytes = 24;
constexpr int kWalFrameBytes = kWalFrameHeaderBytes + kPageSize;

// Authentication of a page can fail spuriously if a checkpoint in another connection rewrites
// the page while it is being read outside a read transaction (SQLite reads the file header
// that way); a failure is final only after this many reads.
constexpr int kReadAttempts = 3;

uint32_t GetBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
void PutBigEndian32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

void MakeAad(uint32_t page_number, uint8_t* aad) {
  std::memcpy(aad, kAadPrefix, kAadPrefixBytes);
  PutBigEndian32(aad + kAadPrefixBytes, page_number);
}

// ---- Key registry ----------------------------------------------------------------------

struct KeyEntry {
  crypto::SecretBytes key;
  int references = 0;
  AuthFailures failures;
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<KeyEntry>> entries;  // by full path name
};

Registry& GetRegistry() {
  // Never destroyed: SQLite may close files (and so call into the registry) while static
  // objects are being destroyed at exit.
  static Registry* registry = new Registry();
  return *registry;
}

// Takes a reference to the entry for `full_path` and copies its key into `key_out`; nullptr
// if no key is registered.
KeyEntry* ReferenceEntry(const std::string& full_path, uint8_t* key_out) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.entries.find(full_path);
  if (it == registry.entries.end()) return nullptr;
  ++it->second->references;
  std::memcpy(key_out, it->second->key.data(), kKeySize);
  return it->second.get();
}

void ReleaseEntry(const KeyEntry* entry) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  for (auto it = registry.entries.begin(); it != registry.entries.end(); ++it) {
    if (it->second.get() != entry) continue;
    if (--it->second->references == 0) registry.entries.erase(it);  // ~SecretBytes wipes
    return;
  }
}

void ReleasePath(const std::string& full_path) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.entries.find(full_path);
  if (it != registry.entries.end() && --it->second->references == 0) registry.entries.erase(it);
}

// ---- Files -------------------------------------------------------------------------------

enum class FileKind : uint8_t { kMainDb, kWal };

// What SQLite allocates for one of our files (szOsFile bytes): this struct, then the unix
// VFS's file. SQLite allocates the memory without constructing anything, so the struct is
// trivial and xOpen fills every field.
struct SealedFile {
  sqlite3_file base;            // first: what SQLite sees; base.pMethods is ours when open
  sqlite3_file* real;           // the unix VFS's file, stored after this struct
  KeyEntry* entry;              // registry entry; we hold a reference while open
  const char* name;             // file name (SQLite keeps it valid until xClose)
  sqlite3_int64 header_offset;  // WAL: offset of the frame header written last, or -1
  uint32_t header_page;         // ... and the page number it holds
  FileKind kind;
  uint8_t key[kKeySize];
};

constexpr int kSealedFileBytes = (sizeof(SealedFile) + 15) / 16 * 16;

sqlite3_file* RealFile(SealedFile* file) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kSealedFileBytes);
}

void NoteAuthFailure(SealedFile* file, uint32_t page_number, sqlite3_int64 offset,
                     bool plaintext_header) {
  sqlite3_log(SQLITE_IOERR_DATA,
              "ura-sealed: page %u at offset %lld of %s failed authentication (wrong key, or "
              "the file was damaged or altered)",
              page_number, offset, file->name);
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  AuthFailures& failures = file->entry->failures;
  ++failures.total;
  if (file->kind == FileKind::kMainDb && page_number == 1) {
    ++failures.page1;
    if (plaintext_header) ++failures.page1_plaintext;
  }
  failures.last_file = file->name;
  failures.last_offset = static_cast<uint64_t>(offset);
}

int RawRead(SealedFile* file, void* out, int amount, sqlite3_int64 offset) {
  return file->real->pMethods->xRead(file->real, out, amount, offset);
}
int RawWrite(SealedFile* file, const void* data, int amount, sqlite3_int64 offset) {
  return file->real->pMethods->xWrite(file->real, data, amount, offset);
}

// Checks a plaintext page 1 describes 4096-byte pages with 40 reserved bytes (file header
// bytes 16-17, the page size big-endian, and byte 20). Without the reserve, sealing would
// overwrite the last 40 bytes of page content.
bool PageOneHeaderOk(const uint8_t* page) {
  return page[16] == (kPageSize >> 8) && page[17] == (kPageSize & 0xff) &&
         page[20] == kReservedBytes;
}

// SQLITE_OK if `plaintext` may be sealed as page `page_number` of `file`, else logs why not
// and returns SQLITE_IOERR_WRITE.
int CheckPageForWrite(SealedFile* file, uint32_t page_number, const uint8_t* plaintext) {
  if (page_number == 0) {
    sqlite3_log(SQLITE_IOERR_WRITE, "ura-sealed: refusing a page 0 write to %s", file->name);
    return SQLITE_IOERR_WRITE;
  }
  if (page_number == 1 && !PageOneHeaderOk(plaintext)) {
    sqlite3_log(SQLITE_IOERR_WRITE,
                "ura-sealed: refusing to write page 1 of %s: the database does not have 4096-byte "
                "pages with 40 reserved bytes (open it with OpenSealed)",
                file->name);
    return SQLITE_IOERR_WRITE;
  }
  if (file->kind == FileKind::kWal) {
    // WAL frame checksums cover the whole plaintext page; reads return zero reserved bytes.
    static constexpr uint8_t kZeros[kReservedBytes] = {};
    if (std::memcmp(plaintext + kSealedBytes, kZeros, kReservedBytes) != 0) {
      sqlite3_log(SQLITE_IOERR_WRITE,
                  "ura-sealed: refusing WAL page %u of %s: its reserved bytes are not zero",
                  page_number, file->name);
      return SQLITE_IOERR_WRITE;
    }
  }
  return SQLITE_OK;
}

int SealAndWrite(SealedFile* file, uint32_t page_number, const uint8_t* plaintext,
                 sqlite3_int64 offset) {
  int rc = CheckPageForWrite(file, page_number, plaintext);
  if (rc != SQLITE_OK) return rc;
  uint8_t sealed[kPageSize];
  SealPage(file->key, page_number, plaintext, sealed);
  return RawWrite(file, sealed, kPageSize, offset);
}

// ---- Main database file --------------------------------------------------------------------

// Reads, authenticates and decrypts page `page_number` into `page`. Returns SQLITE_OK,
// SQLITE_IOERR_SHORT_READ (the page is wholly past the end of the file; `page` is zeros),
// SQLITE_IOERR_DATA, or the unix VFS's error.
int ReadMainPage(SealedFile* file, uint32_t page_number, uint8_t* page) {
  const sqlite3_int64 offset = sqlite3_int64{page_number - 1} * kPageSize;
  bool plaintext_header = false;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::yield();
    int rc = RawRead(file, page, kPageSize, offset);
    if (rc == SQLITE_IOERR_SHORT_READ) {
      sqlite3_int64 size = 0;
      int size_rc = file->real->pMethods->xFileSize(file->real, &size);
      if (size_rc != SQLITE_OK) return size_rc;
      if (size <= offset) {
        std::memset(page, 0, kPageSize);
        return SQLITE_IOERR_SHORT_READ;
      }
      continue;  // part of a page: cut short by damage (or a concurrent extension)
    }
    if (rc != SQLITE_OK) return rc;
    plaintext_header = page_number == 1 && std::memcmp(page, "SQLite format 3", 16) == 0;
    if (OpenPage(file->key, page_number, page, page)) return SQLITE_OK;
  }
  std::memset(page, 0, kPageSize);
  NoteAuthFailure(file, page_number, offset, plaintext_header);
  return SQLITE_IOERR_DATA;
}

int MainRead(SealedFile* file, void* out, int amount, sqlite3_int64 offset) {
  auto* dst = static_cast<uint8_t*>(out);
  int result = SQLITE_OK;
  while (amount > 0) {
    const sqlite3_int64 page_index = offset / kPageSize;
    const int in_page = static_cast<int>(offset % kPageSize);
    const int n = std::min(amount, kPageSize - in_page);
    if (page_index >= 0xffffffffLL) return SQLITE_IOERR_READ;
    const auto page_number = static_cast<uint32_t>(page_index + 1);
    const bool whole_page = in_page == 0 && n == kPageSize;
    uint8_t scratch[kPageSize];
    uint8_t* page = whole_page ? dst : scratch;
    int rc = ReadMainPage(file, page_number, page);
    if (rc == SQLITE_IOERR_SHORT_READ) {
      std::memset(dst, 0, n);
      result = SQLITE_IOERR_SHORT_READ;
    } else if (rc != SQLITE_OK) {
      std::memset(dst, 0, n);
      return rc;
    } else if (!whole_page) {
      std::memcpy(dst, scratch + in_page, n);
    }
    if (!whole_page) sodium_memzero(scratch, sizeof scratch);
    dst += n;
    offset += n;
    amount -= n;
  }
  return result;
}

int MainWrite(SealedFile* file, const void* data, int amount, sqlite3_int64 offset) {
  if (amount != kPageSize || offset % kPageSize != 0 || offset / kPageSize >= 0xffffffffLL) {
    sqlite3_log(SQLITE_IOERR_WRITE,
                "ura-sealed: refusing a write of %d bytes at offset %lld to %s: only whole "
                "4096-byte pages can be sealed",
                amount, offset, file->name);
    return SQLITE_IOERR_WRITE;
  }
  return SealAndWrite(file, static_cast<uint32_t>(offset / kPageSize + 1),
                      static_cast<const uint8_t*>(data), offset);
}

// ---- WAL file ------------------------------------------------------------------------------

sqlite3_int64 FrameStart(sqlite3_int64 offset) {
  return kWalHeaderBytes + (offset - kWalHeaderBytes) / kWalFrameBytes * kWalFrameBytes;
}

// True if the frame at `frame_start` (header `frame_header`) belongs to the WAL's current
// generation and a later frame of that generation is an authenticated commit frame: then the
// frame was committed and synced before, and failing authentication is damage, not a torn
// write.
bool LaterCommitAuthenticates(SealedFile* file, sqlite3_int64 frame_start,
                              const uint8_t* frame_header) {
  uint8_t wal_header[kWalHeaderBytes];
  if (RawRead(file, wal_header, kWalHeaderBytes, 0) != SQLITE_OK) return false;
  const uint8_t* salt = wal_header + 16;
  if (std::memcmp(frame_header + 8, salt, 8) != 0) return false;  // an older generation
  sqlite3_int64 size = 0;
  if (file->real->pMethods->xFileSize(file->real, &size) != SQLITE_OK) return false;
  std::vector<uint8_t> frame(kWalFrameBytes);
  for (sqlite3_int64 at = frame_start + kWalFrameBytes; at + kWalFrameBytes <= size;
       at += kWalFrameBytes) {
    if (RawRead(file, frame.data(), kWalFrameBytes, at) != SQLITE_OK) return false;
    if (std::memcmp(frame.data() + 8, salt, 8) != 0) continue;
    const bool commit = GetBigEndian32(frame.data() + 4) != 0;
    if (commit &&
        OpenPage(file->key, GetBigEndian32(frame.data()), frame.data() + kWalFrameHeaderBytes,
                 frame.data() + kWalFrameHeaderBytes)) {
      sodium_memzero(frame.data(), frame.size());
      return true;
    }
  }
  sodium_memzero(frame.data(), frame.size());
  return false;
}

// Reads the frame at `frame_start` into `frame`: header as stored, page decrypted. Returns
// SQLITE_OK, SQLITE_IOERR_SHORT_READ (no page bytes in the file; zeros), SQLITE_IOERR_DATA or
// the unix VFS's error. `whole_frame` says SQLite asked for the frame header too, which it does
// only when recovering the WAL (or rewriting checksums); see sealed_db.h for what happens then
// to a frame that does not authenticate.
int ReadWalFrame(SealedFile* file, sqlite3_int64 frame_start, bool whole_frame, uint8_t* frame) {
  uint8_t* page = frame + kWalFrameHeaderBytes;
  int rc = RawRead(file, frame, kWalFrameBytes, frame_start);
  bool cut_short = false;
  if (rc == SQLITE_IOERR_SHORT_READ) {
    sqlite3_int64 size = 0;
    int size_rc = file->real->pMethods->xFileSize(file->real, &size);
    if (size_rc != SQLITE_OK) return size_rc;
    if (size <= frame_start + kWalFrameHeaderBytes) {
      std::memset(page, 0, kPageSize);
      return SQLITE_IOERR_SHORT_READ;
    }
    cut_short = true;
  } else if (rc != SQLITE_OK) {
    return rc;
  }
  const uint32_t page_number = GetBigEndian32(frame);
  if (!cut_short && OpenPage(file->key, page_number, page, page)) return SQLITE_OK;
  std::memset(page, 0, kPageSize);
  if (whole_frame && !LaterCommitAuthenticates(file, frame_start, frame)) {
    // Page number 0 makes SQLite's recovery stop here, as at a torn frame.
    sqlite3_log(SQLITE_NOTICE,
                "ura-sealed: WAL frame at offset %lld of %s does not authenticate and no "
                "committed frame follows it: treated as the torn end of the log",
                frame_start, file->name);
    PutBigEndian32(frame, 0);
    return SQLITE_OK;
  }
  NoteAuthFailure(file, page_number, frame_start + kWalFrameHeaderBytes, false);
  return SQLITE_IOERR_DATA;
}

int WalRead(SealedFile* file, void* out, int amount, sqlite3_int64 offset) {
  auto* dst = static_cast<uint8_t*>(out);
  const sqlite3_int64 end = offset + amount;
  int result = SQLITE_OK;
  while (offset < end) {
    sqlite3_int64 piece_end;
    int rc;
    if (offset < kWalHeaderBytes) {
      piece_end = std::min<sqlite3_int64>(end, kWalHeaderBytes);
      rc = RawRead(file, dst, static_cast<int>(piece_end - offset), offset);
    } else {
      const sqlite3_int64 frame_start = FrameStart(offset);
      piece_end = std::min<sqlite3_int64>(end, frame_start + kWalFrameBytes);
      if (piece_end <= frame_start + kWalFrameHeaderBytes) {  // frame header only
        rc = RawRead(file, dst, static_cast<int>(piece_end - offset), offset);
      } else {
        uint8_t frame[kWalFrameBytes];
        rc = ReadWalFrame(file, frame_start, offset == frame_start, frame);
        if (rc == SQLITE_OK || rc == SQLITE_IOERR_SHORT_READ) {
          std::memcpy(dst, frame + (offset - frame_start), piece_end - offset);
        }
        sodium_memzero(frame, sizeof frame);
      }
    }
    if (rc == SQLITE_IOERR_SHORT_READ) {
      result = rc;
    } else if (rc != SQLITE_OK) {
      std::memset(static_cast<uint8_t*>(out), 0, amount);
      return rc;
    }
    dst += piece_end - offset;
    offset = piece_end;
  }
  return result;
}

int WalWrite(SealedFile* file, const void* data, int amount, sqlite3_int64 offset) {
  const auto* src = static_cast<const uint8_t*>(data);
  if (offset == 0 && amount == kWalHeaderBytes) {
    if (GetBigEndian32(src + 8) != kPageSize) {
      sqlite3_log(SQLITE_IOERR_WRITE,
                  "ura-sealed: refusing a WAL for a page size other than 4096 "
                  "in %s",
                  file->name);
      return SQLITE_IOERR_WRITE;
    }
    return RawWrite(file, data, amount, offset);
  }
  if (offset >= kWalHeaderBytes) {
    const sqlite3_int64 frame_start = FrameStart(offset);
    const sqlite3_int64 in_frame = offset - frame_start;
    if (in_frame == 0 && amount == kWalFrameHeaderBytes) {
      file->header_offset = frame_start;
      file->header_page = GetBigEndian32(src);
      return RawWrite(file, data, amount, offset);
    }
    if (in_frame == kWalFrameHeaderBytes && amount == kPageSize) {
      uint32_t page_number = file->header_page;
      if (file->header_offset != frame_start) {
        // SQLite rewrites the page of a frame of the current transaction in place, without
        // its header: the header on disk names the page.
        uint8_t header[4];
        int rc = RawRead(file, header, sizeof header, frame_start);
        if (rc != SQLITE_OK) return SQLITE_IOERR_WRITE;
        page_number = GetBigEndian32(header);
      }
      return SealAndWrite(file, page_number, src, offset);
    }
    if (in_frame == 0 && amount == kWalFrameBytes) {
      uint8_t frame[kWalFrameBytes];
      std::memcpy(frame, src, kWalFrameHeaderBytes);
      const uint32_t page_number = GetBigEndian32(src);
      int rc = CheckPageForWrite(file, page_number, src + kWalFrameHeaderBytes);
      if (rc != SQLITE_OK) return rc;
      SealPage(file->key, page_number, src + kWalFrameHeaderBytes, frame + kWalFrameHeaderBytes);
      file->header_offset = frame_start;
      file->header_page = page_number;
      return RawWrite(file, frame, kWalFrameBytes, offset);
    }
  }
  sqlite3_log(SQLITE_IOERR_WRITE,
              "ura-sealed: refusing a write of %d bytes at offset %lld to %s: not a WAL header, "
              "frame header or whole page",
              amount, offset, file->name);
  return SQLITE_IOERR_WRITE;
}

// ---- sqlite3_io_methods --------------------------------------------------------------------

SealedFile* Sealed(sqlite3_file* file) { return reinterpret_cast<SealedFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Sealed(file)->real; }

int FileClose(sqlite3_file* file) {
  SealedFile* sealed = Sealed(file);
  int rc = SQLITE_OK;
  if (sealed->real->pMethods != nullptr) rc = sealed->real->pMethods->xClose(sealed->real);
  sodium_memzero(sealed->key, sizeof sealed->key);
  ReleaseEntry(sealed->entry);
  sealed->entry = nullptr;
  return rc;
}

int FileRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  SealedFile* sealed = Sealed(file);
  return sealed->kind == FileKind::kMainDb ? MainRead(sealed, out, amount, offset)
                                           : WalRead(sealed, out, amount, offset);
}

int FileWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  SealedFile* sealed = Sealed(file);
  return sealed->kind == FileKind::kMainDb ? MainWrite(sealed, data, amount, offset)
                                           : WalWrite(sealed, data, amount, offset);
}

int FileTruncate(sqlite3_file* file, sqlite3_int64 size) {
  Sealed(file)->header_offset = -1;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}
int FileSync(sqlite3_file* file, int flags) {
  return Real(file)->pMethods->xSync(Real(file), flags);
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int FileLock(sqlite3_file* file, int lock) { return Real(file)->pMethods->xLock(Real(file), lock); }
int FileUnlock(sqlite3_file* file, int lock) {
  return Real(file)->pMethods->xUnlock(Real(file), lock);
}
int FileCheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int FileSectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int FileDeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int FileShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}
int FileShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void FileShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int FileShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}

// Version 2: no xFetch/xUnfetch, so SQLite never memory-maps the (encrypted) file.
const sqlite3_io_methods kIoMethods = {
    2,
    FileClose,
    FileRead,
    FileWrite,
    FileTruncate,
    FileSync,
    FileSize,
    FileLock,
    FileUnlock,
    FileCheckReservedLock,
    FileControl,
    FileSectorSize,
    FileDeviceCharacteristics,
    FileShmMap,
    FileShmLock,
    FileShmBarrier,
    FileShmUnmap,
    nullptr,
    nullptr,
};

// ---- sqlite3_vfs ---------------------------------------------------------------------------

sqlite3_vfs* Root(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int VfsOpen(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
            int* out_flags) {
  auto* sealed = Sealed(file);
  std::memset(sealed, 0, sizeof *sealed);  // base.pMethods = nullptr until we succeed
  sealed->real = RealFile(sealed);
  sealed->header_offset = -1;
  sealed->name = name;
  std::string database;
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
    sealed->kind = FileKind::kMainDb;
    database = name;
  } else if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    sealed->kind = FileKind::kWal;
    database = sqlite3_filename_database(name);
  } else {
    sqlite3_log(SQLITE_CANTOPEN,
                "ura-sealed: refusing to open %s (open flags 0x%x): a sealed database may only "
                "have its main file and WAL on disk (rollback journals and temporary files "
                "would hold plaintext; use WAL mode and temp_store=MEMORY)",
                name != nullptr ? name : "a temporary file", flags);
    return SQLITE_CANTOPEN;
  }
  sealed->entry = ReferenceEntry(database, sealed->key);
  if (sealed->entry == nullptr) {
    sqlite3_log(SQLITE_CANTOPEN, "ura-sealed: no key registered for %s (open it with OpenSealed)",
                database.c_str());
    return SQLITE_CANTOPEN;
  }
  sqlite3_vfs* root = Root(vfs);
  int rc = root->xOpen(root, name, sealed->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (sealed->real->pMethods != nullptr) sealed->real->pMethods->xClose(sealed->real);
    sodium_memzero(sealed->key, sizeof sealed->key);
    ReleaseEntry(sealed->entry);
    sealed->entry = nullptr;
    return rc;
  }
  sealed->base.pMethods = &kIoMethods;
  return SQLITE_OK;
}

int VfsDelete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Root(vfs)->xDelete(Root(vfs), name, sync_dir);
}
int VfsAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Root(vfs)->xAccess(Root(vfs), name, flags, out);
}
int VfsFullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Root(vfs)->xFullPathname(Root(vfs), name, n, out);
}
void* VfsDlOpen(sqlite3_vfs* vfs, const char* name) { return Root(vfs)->xDlOpen(Root(vfs), name); }
void VfsDlError(sqlite3_vfs* vfs, int n, char* out) { Root(vfs)->xDlError(Root(vfs), n, out); }
void (*VfsDlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Root(vfs)->xDlSym(Root(vfs), handle, symbol);
}
void VfsDlClose(sqlite3_vfs* vfs, void* handle) { Root(vfs)->xDlClose(Root(vfs), handle); }
int VfsRandomness(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xRandomness(Root(vfs), n, out);
}
int VfsSleep(sqlite3_vfs* vfs, int microseconds) {
  return Root(vfs)->xSleep(Root(vfs), microseconds);
}
int VfsCurrentTime(sqlite3_vfs* vfs, double* out) {
  return Root(vfs)->xCurrentTime(Root(vfs), out);
}
int VfsGetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xGetLastError(Root(vfs), n, out);
}
int VfsCurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Root(vfs)->xCurrentTimeInt64(Root(vfs), out);
}

// Registers the VFS; returns an error message, or an empty string.
std::string Register() {
  if (sodium_init() < 0) return "libsodium cannot start";
  if (sqlite3_initialize() != SQLITE_OK) return "SQLite cannot start";
  sqlite3_vfs* root = sqlite3_vfs_find("unix");
  if (root == nullptr) return "SQLite has no unix VFS";
  if (root->iVersion < 2) return "SQLite's unix VFS is too old";
  static sqlite3_vfs vfs = {};
  vfs.iVersion = 2;  // through xCurrentTimeInt64; we do not forward xSetSystemCall & co.
  vfs.szOsFile = kSealedFileBytes + root->szOsFile;
  vfs.mxPathname = root->mxPathname;
  vfs.zName = kVfsName;
  vfs.pAppData = root;
  vfs.xOpen = VfsOpen;
  vfs.xDelete = VfsDelete;
  vfs.xAccess = VfsAccess;
  vfs.xFullPathname = VfsFullPathname;
  vfs.xDlOpen = VfsDlOpen;
  vfs.xDlError = VfsDlError;
  vfs.xDlSym = VfsDlSym;
  vfs.xDlClose = VfsDlClose;
  vfs.xRandomness = VfsRandomness;
  vfs.xSleep = VfsSleep;
  vfs.xCurrentTime = VfsCurrentTime;
  vfs.xGetLastError = VfsGetLastError;
  vfs.xCurrentTimeInt64 = VfsCurrentTimeInt64;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return "cannot register the VFS";
  return "";
}

}  // namespace

Status EnsureVfsRegistered() {
  static const std::string error = Register();  // thread-safe, once per process
  if (!error.empty()) return Internal("sealed SQLite VFS: " + error);
  return Status::Ok();
}

Result<std::string> FullPathname(const std::string& path) {
  sqlite3_vfs* root = sqlite3_vfs_find("unix");
  if (root == nullptr) return Internal("SQLite has no unix VFS");
  std::vector<char> out(static_cast<size_t>(root->mxPathname) + 1);
  int rc = root->xFullPathname(root, path.c_str(), static_cast<int>(out.size()), out.data());
  if ((rc & 0xff) != SQLITE_OK) {
    return IoError("cannot resolve the full path of " + path + " (SQLite error " +
                   std::to_string(rc) + ")");
  }
  return std::string(out.data());
}

Result<KeyLease> KeyLease::Acquire(const std::string& full_path, ByteView key) {
  if (key.size() != kKeySize) {
    return InvalidArgument("an index key must be 32 bytes, not " + std::to_string(key.size()));
  }
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto& entry = registry.entries[full_path];
  if (entry == nullptr) {
    entry = std::make_unique<KeyEntry>();
    entry->key = crypto::SecretBytes(key);
  } else if (sodium_memcmp(entry->key.data(), key.data(), kKeySize) != 0) {
    return FailedPrecondition("index " + full_path +
                              " is already open in this process with a different key");
  }
  ++entry->references;
  return KeyLease(full_path);
}

KeyLease::KeyLease(KeyLease&& other) noexcept : full_path_(std::move(other.full_path_)) {
  other.full_path_.clear();
}

KeyLease::~KeyLease() {
  if (!full_path_.empty()) ReleasePath(full_path_);
}

AuthFailures KeyLease::failures() const {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.entries.find(full_path_);
  return it == registry.entries.end() ? AuthFailures{} : it->second->failures;
}

bool IsKeyRegistered(const std::string& full_path) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  return registry.entries.count(full_path) != 0;
}

void SealPage(const uint8_t* key, uint32_t page_number, const uint8_t* plaintext, uint8_t* sealed) {
  uint8_t aad[kAadBytes];
  MakeAad(page_number, aad);
  uint8_t* nonce = sealed + kSealedBytes;
  uint8_t* tag = nonce + kNonceBytes;
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long tag_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
      sealed, tag, &tag_length, plaintext, kSealedBytes, aad, kAadBytes, nullptr, nonce, key);
}

bool OpenPage(const uint8_t* key, uint32_t page_number, const uint8_t* sealed, uint8_t* plaintext) {
  uint8_t aad[kAadBytes];
  MakeAad(page_number, aad);
  // Copies: with `sealed == plaintext` the output must not overwrite them mid-call.
  uint8_t nonce[kNonceBytes];
  uint8_t tag[kTagBytes];
  std::memcpy(nonce, sealed + kSealedBytes, kNonceBytes);
  std::memcpy(tag, sealed + kSealedBytes + kNonceBytes, kTagBytes);
  const bool ok =
      crypto_aead_xchacha20poly1305_ietf_decrypt_detached(plaintext, nullptr, sealed, kSealedBytes,
                                                          tag, aad, kAadBytes, nonce, key) == 0;
  if (!ok) {
    std::memset(plaintext, 0, kPageSize);
    return false;
  }
  std::memset(plaintext + kSealedBytes, 0, kReservedBytes);
  return true;
}

}  // namespace ura::sealed_db::internal
