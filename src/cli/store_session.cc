#include "cli/store_session.h"

#include <ostream>

namespace ura::cli {

Status StoreSession::OpenIndex(Context& ctx, const journal::Keyring& keyring, StoreSession& s) {
  journal::StorePaths paths = ctx.paths();
  URA_ASSIGN_OR_RETURN(std::string path, index::PrepareIndexPath(*ctx.fs, paths));
  auto idx = index::EntityIndex::Open(path);
  if (!idx.ok()) {
    // A projection: if it cannot be opened, rebuild it from the journal.
    *ctx.err << "ura: the index could not be opened (" << idx.status().message() << "); rebuilding it\n";
    URA_RETURN_IF_ERROR(index::DeleteIndexFiles(*ctx.fs, path));
    idx = index::EntityIndex::Open(path);
    if (!idx.ok()) return idx.status();
  }
  s.index_ = std::move(idx).value();
  return index::CatchUp(*s.index_, *ctx.fs, paths, keyring);
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForWrite(Context& ctx) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  std::unique_ptr<StoreSession> s(new StoreSession());
  URA_ASSIGN_OR_RETURN(s->journal_, journal::Journal::OpenForWrite(ctx.DataDir(), secret, options));
  if (s->journal_->recovery().tail_cut) {
    *ctx.err << "ura: recovered after a crash: " << s->journal_->recovery().ToString() << "\n";
  }
  URA_RETURN_IF_ERROR(OpenIndex(ctx, s->journal_->keyring(), *s));
  URA_RETURN_IF_ERROR(s->index_->BeginBulk());
  return s;
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForRead(Context& ctx) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  std::unique_ptr<StoreSession> s(new StoreSession());
  URA_ASSIGN_OR_RETURN(s->read_keyring_, journal::Keyring::Unlock(*ctx.fs, ctx.paths(), secret));
  URA_RETURN_IF_ERROR(OpenIndex(ctx, *s->read_keyring_, *s));
  return s;
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
  std::vector<std::pair<uint64_t, const model::Entity*>> applied;
  for (size_t i = 0; i < versions.size(); ++i) applied.emplace_back(r.first_sequence + i, &versions[i]);
  // The journal is the truth; if the index update fails, the next open catches up.
  return index_->Apply(applied, payloads, r.first_sequence + r.count);
}

}  // namespace ura::cli
