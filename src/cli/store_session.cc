#include "cli/store_session.h"

#include <ostream>

#include "cli/progress.h"
#include "index/sqlite/sqlite_index.h"
#include "journal/journal_reader.h"

namespace ura::cli {

Result<crypto::SecretBytes> IndexKey(const journal::Keyring& keyring) {
  return keyring.DerivedKey("ura index page key v1");
}

Status StoreSession::OpenIndex(Context& ctx, const journal::Keyring& keyring, IndexMode mode, StoreSession& s) {
  journal::StorePaths paths = ctx.paths();
  URA_ASSIGN_OR_RETURN(std::string path, index::PrepareIndexPath(*ctx.fs, paths));
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes key, IndexKey(keyring));
  bool rebuilding = mode == IndexMode::kRebuild;
  if (rebuilding) URA_RETURN_IF_ERROR(index::DeleteIndexFiles(*ctx.fs, path));
  if (!rebuilding && !ctx.fs->Exists(path)) {
    // Silent for a new store; worth a word when there is something to rebuild.
    auto head = journal::ReadLatestHead(*ctx.fs, paths, keyring.meta());
    if (head.ok() && head->tree_size > 0) *ctx.err << "ura: the index is missing; rebuilding it from the journal\n";
    rebuilding = true;
  }
  auto idx = index::SqliteIndex::Open(path, key.view());
  if (!idx.ok()) {
    // A projection: if it cannot be opened, rebuild it from the journal.
    *ctx.err << "ura: the index cannot be used (" << idx.status().message() << "); rebuilding it from the journal\n";
    URA_RETURN_IF_ERROR(index::DeleteIndexFiles(*ctx.fs, path));
    idx = index::SqliteIndex::Open(path, key.view());
    if (!idx.ok()) return idx.status();
    rebuilding = true;
  }
  s.index_ = std::move(idx).value();
  URA_RETURN_IF_ERROR(s.index_->BeginBulk());
  Progress progress(ctx, rebuilding ? "rebuilding the index" : "updating the index");
  Status caught_up = index::CatchUp(*s.index_, *ctx.fs, paths, keyring, [&](uint64_t done, uint64_t total) {
    progress.Update(done, total, done);
  });
  progress.Done();
  if (caught_up.ok()) caught_up = s.index_->Commit();
  if (caught_up.ok() || rebuilding || caught_up.code() != StatusCode::kDataLoss) return caught_up;
  // Damage met while catching up (e.g. an edited page): rebuild once.
  *ctx.err << "ura: the index is damaged (" << caught_up.message() << "); rebuilding it from the journal\n";
  s.index_.reset();
  return OpenIndex(ctx, keyring, IndexMode::kRebuild, s);
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForWrite(Context& ctx, IndexMode mode) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  std::unique_ptr<StoreSession> s(new StoreSession());
  URA_ASSIGN_OR_RETURN(s->journal_, journal::Journal::OpenForWrite(ctx.DataDir(), secret, options));
  if (s->journal_->recovery().tail_cut) {
    *ctx.err << "ura: recovered after a crash: " << s->journal_->recovery().ToString() << "\n";
  }
  URA_RETURN_IF_ERROR(OpenIndex(ctx, s->journal_->keyring(), mode, *s));
  URA_RETURN_IF_ERROR(s->index_->BeginBulk());
  return s;
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForRead(Context& ctx) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  std::unique_ptr<StoreSession> s(new StoreSession());
  URA_ASSIGN_OR_RETURN(s->read_keyring_, journal::Keyring::Unlock(*ctx.fs, ctx.paths(), secret));
  URA_RETURN_IF_ERROR(OpenIndex(ctx, *s->read_keyring_, IndexMode::kCatchUp, *s));
  return s;
}

Status StoreSession::ReadIndex(Context& ctx, const std::function<Status(index::Index&)>& read) {
  Status s = read(*index_);
  if (s.code() != StatusCode::kDataLoss) return s;
  *ctx.err << "ura: the index is damaged (" << s.message() << "); rebuilding it from the journal\n";
  index_.reset();
  URA_RETURN_IF_ERROR(OpenIndex(ctx, keyring(), IndexMode::kRebuild, *this));
  return read(*index_);
}

Result<std::optional<model::Entity>> StoreSession::Current(const std::string& id) { return index_->Get(id); }

Status StoreSession::Finish() { return index_->Commit(); }

Status StoreSession::Write(const std::vector<model::Entity>& versions) {
  if (!journal_) return FailedPrecondition("the store is open read-only");
  std::vector<std::string> payloads;
  payloads.reserve(versions.size());
  for (const auto& e : versions) payloads.push_back(model::CanonicalJson(e));
  std::vector<journal::EntryInput> entries;
  entries.reserve(versions.size());
  for (const auto& p : payloads) entries.push_back({index::kEntryTypeEntityVersion, AsBytes(p)});
  URA_ASSIGN_OR_RETURN(journal::AppendResult r, journal_->Append(entries));
  std::vector<index::VersionToApply> applied;
  applied.reserve(versions.size());
  for (size_t i = 0; i < versions.size(); ++i) applied.push_back({r.first_sequence + i, &versions[i], payloads[i]});
  const uint64_t applied_size = r.first_sequence + r.count;
  const ByteView root = r.head.tree_size == applied_size ? ByteView(r.head.root) : ByteView();
  // The journal is the truth; if the index update fails, the next open catches up.
  return index_->Apply(applied, applied_size, root);
}

}  // namespace ura::cli
