#include "cli/store_session.h"

#include <chrono>
#include <ostream>
#include <thread>

#include "cli/progress.h"
#include "index/sqlite/sqlite_index.h"
#include "resolve/incremental.h"
#include "access/password.h"
#include "access/sessions.h"
#include "access/totp.h"
#include "journal/journal_reader.h"
#include "service/consult.h"
#include "service/store_writer.h"

namespace ura::cli {

namespace {

// An index file worth rebuilding rather than reporting when it cannot be opened: damaged
// (kDataLoss: opening reads only the index's own files), or of another format, projection or
// key (kFailedPrecondition).
bool Rebuildable(const Status& s) {
  return s.code() == StatusCode::kDataLoss || s.code() == StatusCode::kFailedPrecondition;
}

}  // namespace

Result<access::UserDirectory> LoadUsers(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring) {
  access::UserDirectory users;
  URA_RETURN_IF_ERROR(journal::ReadEntries(fs, paths, keyring, 0, 0, [&](const journal::DecodedEntry& e) -> Status {
    if (e.type != access::kEntryTypeUserEvent) return Status::Ok();
    auto event = access::DecodeUserEvent(AsString(e.payload));
    if (!event.ok()) {
      return Corruption("journal entry " + std::to_string(e.sequence) + " is not a valid user event",
                        {"", std::nullopt, e.sequence, "user-event"});
    }
    Status applied = users.Apply(*event);
    if (!applied.ok()) {
      return Corruption("journal entry " + std::to_string(e.sequence) + ": " + applied.message(),
                        {"", std::nullopt, e.sequence, "user-event"});
    }
    return Status::Ok();
  }));
  return users;
}

Result<crypto::SecretBytes> IndexKey(const journal::Keyring& keyring, uint32_t data_key_id) {
  if (data_key_id == 0) return keyring.DerivedKey("ura index page key v1");
  return keyring.DerivedKey("ura index page key v1", data_key_id);
}

Status StoreSession::MaintainIndex(Context& ctx, IndexMode mode) {
  journal::StorePaths paths = ctx.paths();
  URA_ASSIGN_OR_RETURN(std::string path, index::PrepareIndexPath(*ctx.fs, paths));
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes key, IndexKey(keyring()));
  pipeline_.reset();  // it writes to the index being replaced
  index_.reset();
  bool rebuilding = mode == IndexMode::kRebuild;
  if (rebuilding) URA_RETURN_IF_ERROR(index::DeleteIndexFiles(*ctx.fs, path));
  if (!rebuilding && !ctx.fs->Exists(path)) {
    // Silent for a new store; worth a word when there is something to rebuild.
    auto head = journal::ReadLatestHead(*ctx.fs, paths, keyring().meta());
    if (head.ok() && head->tree_size > 0) *ctx.err << "ura: the index is missing; rebuilding it from the journal\n";
    rebuilding = true;
  }
  auto idx = index::SqliteIndex::Open(path, key.view(), resolve::IndexedBlockingKeys());
  if (!idx.ok()) {
    if (!Rebuildable(idx.status())) return idx.status();
    *ctx.err << "ura: the index cannot be used (" << idx.status().message() << "); rebuilding it from the journal\n";
    URA_RETURN_IF_ERROR(index::DeleteIndexFiles(*ctx.fs, path));
    idx = index::SqliteIndex::Open(path, key.view(), resolve::IndexedBlockingKeys());
    if (!idx.ok()) return idx.status();
    rebuilding = true;
  }
  index_ = std::move(idx).value();
  URA_RETURN_IF_ERROR(rebuilding ? index_->BeginRebuild() : index_->BeginBulk());
  Progress progress(ctx, rebuilding ? "rebuilding the index" : "updating the index");
  Status caught_up = index::CatchUp(*index_, *ctx.fs, paths, keyring(), [&](uint64_t done, uint64_t total) {
    progress.Update(done, total, done);
  });
  progress.Done();
  if (caught_up.ok()) caught_up = index_->Commit();
  if (caught_up.ok()) return caught_up;
  if (!index::IsIndexDamage(caught_up)) {
    // The journal could not be read: rebuilding the index would not help.
    return caught_up.WithContext("bringing the index up to date (check the journal with `ura verify`)");
  }
  if (rebuilding) return caught_up;
  *ctx.err << "ura: the index is damaged (" << caught_up.message() << "); rebuilding it from the journal\n";
  return MaintainIndex(ctx, IndexMode::kRebuild);
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForWrite(Context& ctx, IndexMode mode) {
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  return Open(ctx, secret, mode);
}

Result<std::unique_ptr<StoreSession>> StoreSession::Open(Context& ctx, const journal::KeySecret& secret,
                                                         IndexMode mode) {
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  std::unique_ptr<StoreSession> s(new StoreSession());
  URA_ASSIGN_OR_RETURN(s->journal_, journal::Journal::OpenForWrite(ctx.DataDir(), secret, options));
  if (s->journal_->recovery().tail_cut) {
    *ctx.err << "ura: recovered after a crash: " << s->journal_->recovery().ToString() << "\n";
  }
  URA_RETURN_IF_ERROR(s->MaintainIndex(ctx, mode));
  URA_RETURN_IF_ERROR(s->index_->BeginBulk());
  return s;
}

Result<std::unique_ptr<StoreSession>> StoreSession::OpenForConsultation(Context& ctx) {
  URA_RETURN_IF_ERROR(audit::CheckJustification(ctx.reason));
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, ObtainSecret(ctx));
  // Another command's hold is short (a search, a get); an ingest's is not: give up after 10 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    auto s = Open(ctx, secret, IndexMode::kCatchUp);
    if (s.ok() || s.status().code() != StatusCode::kUnavailable || std::chrono::steady_clock::now() > deadline) {
      if (!s.ok() && s.status().code() == StatusCode::kUnavailable) {
        return s.status().WithContext("consultations are written to the audit journal, which needs the store; it is "
                                      "held by another process (an ingest, a reindex): try again when it has finished");
      }
      return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Status StoreSession::Audit(Context& ctx, audit::Record record) {
  std::vector<audit::Record> one;
  one.push_back(std::move(record));
  return Audit(ctx, std::move(one));
}

Result<access::Principal> StoreSession::Consultant(Context& ctx) {
  if (ctx.as_user.empty()) return access::Principal{CliUser(), nullptr};
  if (!consultant_) {
    URA_ASSIGN_OR_RETURN(access::UserDirectory users, LoadUsers(*ctx.fs, ctx.paths(), keyring()));
    URA_ASSIGN_OR_RETURN(std::string password, ObtainUserPassword(ctx, "", ctx.as_user, /*confirm=*/false));
    const access::User* user = users.Find(ctx.as_user);
    access::LoginFailure failure = access::LoginFailure::kNone;
    if (user == nullptr || !access::VerifyPassword(user->password_hash, password)) {
      failure = access::LoginFailure::kBadCredentials;
    } else if (user->disabled) {
      failure = access::LoginFailure::kDisabled;
    } else if (!user->totp_secret.empty()) {
      URA_ASSIGN_OR_RETURN(std::string code, ObtainTotpCode(ctx.as_user));
      int64_t last_step = 0;
      if (!access::CheckTotp(user->totp_secret, code, ctx.clock->NowMicros() / 1000000, 1, &last_step)) {
        failure = access::LoginFailure::kBadCredentials;
      }
    }
    std::fill(password.begin(), password.end(), '\0');
    audit::Record logon;
    logon.action = "login";
    logon.justification = "log-on";
    logon.outcome = failure == access::LoginFailure::kNone ? "ok" : std::string(access::LoginFailureName(failure));
    URA_RETURN_IF_ERROR(Audit(ctx, logon));
    if (failure != access::LoginFailure::kNone) return PermissionDenied(std::string(access::kLoginFailedMessage));
    consultant_ = std::make_unique<access::User>(*user);
  }
  return access::Principal{consultant_->name, consultant_.get()};
}

void StoreSession::Stamp(Context& ctx, audit::Record& record) {
  // With --as, the Ura user is who consults; the operating-system account is where from.
  record.time_us = ctx.clock->NowMicros();
  record.user = ctx.as_user.empty() ? CliUser() : ctx.as_user;
  record.client = ctx.as_user.empty() ? "local" : "local:" + CliUser();
  if (record.justification.empty()) record.justification = ctx.reason;
}

Result<access::Principal> StoreSession::Authorise(Context& ctx, access::Action action, const std::string& audit_action) {
  URA_ASSIGN_OR_RETURN(access::Principal who, Consultant(ctx));
  if (access::Decision d = access::Permits(who, action); !d) {
    Audit(ctx, service::DeniedRecord(audit_action, d)).IgnoreError();
    return PermissionDenied(d.reason);
  }
  return who;
}

Status StoreSession::Audit(Context& ctx, std::vector<audit::Record> records) {
  for (audit::Record& r : records) Stamp(ctx, r);
  return audit::Append(*journal_, records);
}

Result<journal::AppendResult> StoreSession::AuditWith(Context& ctx, audit::Record record,
                                                      std::vector<journal::EntryInput> entries) {
  Stamp(ctx, record);
  const std::string payload = audit::EncodeRecord(record);
  entries.push_back({audit::kEntryTypeAudit, AsBytes(payload)});
  return journal_->Append(entries);
}

Status StoreSession::ReadIndex(Context& ctx, const std::function<Status(index::Index&)>& read) {
  Status s = read(*index_);
  if (!index::IsIndexDamage(s) || rebuilt_) return s;
  rebuilt_ = true;  // at most once: a second failure is reported
  *ctx.err << "ura: the index is damaged (" << s.message() << "); rebuilding it from the journal\n";
  URA_RETURN_IF_ERROR(MaintainIndex(ctx, IndexMode::kRebuild));
  return read(*index_);
}

Result<std::unique_ptr<index::Index>> StoreSession::OpenIndexReader(Context& ctx) {
  URA_ASSIGN_OR_RETURN(crypto::SecretBytes key, IndexKey(keyring()));
  auto reader = index::SqliteIndex::Open(index::IndexPath(ctx.paths()), key.view(), resolve::IndexedBlockingKeys());
  if (!reader.ok()) return reader.status().WithContext("opening a reader of the index");
  return std::unique_ptr<index::Index>(std::move(reader).value());
}

Status StoreSession::StartPipeline(Context& ctx) {
  if (pipeline_) return Status::Ok();
  URA_ASSIGN_OR_RETURN(std::unique_ptr<index::Index> reader, OpenIndexReader(ctx));
  pipeline_ = std::make_unique<service::IngestPipeline>(*journal_, *index_, std::move(reader), &written_);
  return Status::Ok();
}

Result<std::optional<model::Entity>> StoreSession::Current(const std::string& id) {
  return pipeline_ ? pipeline_->Current(id) : index_->Get(id);
}

Status StoreSession::Drain() { return pipeline_ ? pipeline_->Drain() : Status::Ok(); }

Status StoreSession::Finish() {
  URA_RETURN_IF_ERROR(Drain());
  pipeline_.reset();
  return index_->Commit();
}

Status StoreSession::Write(const std::vector<model::Entity>& versions) {
  if (!journal_) return FailedPrecondition("the store is open read-only");
  if (pipeline_) return pipeline_->Write(versions);
  return service::StoreWriter(*journal_, *index_, nullptr, &written_).Write(versions);
}

}  // namespace ura::cli
