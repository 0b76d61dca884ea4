// What commands that read or write police data share: the store opened for writing (its lock
// held), its index caught up with the journal, a sink that writes entity versions to the
// journal and then the index, and the audit journal every consultation and change goes to.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "access/policy.h"
#include "access/users.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "index/index.h"
#include "ingest/ingester.h"
#include "journal/journal.h"
#include "service/ingest_pipeline.h"
#include "service/resolution.h"

namespace ura::cli {

class StoreSession final : public ingest::EntityState, public ingest::EntitySink {
 public:
  enum class IndexMode {
    kCatchUp,  // open the index (rebuilding it if missing, damaged or of an old format) and catch up
    kRebuild,  // delete the index and rebuild it from the journal
  };
  // Opens the journal for writing (reporting a recovered torn tail on ctx.err) and the index.
  static Result<std::unique_ptr<StoreSession>> OpenForWrite(Context& ctx, IndexMode mode = IndexMode::kCatchUp);
  // For a consultation of police data: the justification (--reason) is checked first, then
  // the store is opened as by OpenForWrite -- the audit record must be durable before the
  // data is shown -- waiting up to 10 s for another process's short hold of the store.
  static Result<std::unique_ptr<StoreSession>> OpenForConsultation(Context& ctx);
  // As OpenForWrite, with a secret the caller already has (`ura restore` asks once).
  static Result<std::unique_ptr<StoreSession>> Open(Context& ctx, const journal::KeySecret& secret, IndexMode mode);

  // Who consults. With --as NAME: that Ura user, once their password (and TOTP code, if
  // enrolled) is checked -- a failure is audited and refused -- so the access rules apply to
  // them as in the API. Without: the store's custodian, the operating-system account holding
  // the store's key, whom no rule can bind (the key decrypts the journal) but whose every
  // consultation is audited.
  Result<access::Principal> Consultant(Context& ctx);
  // The consultant, if their role allows `action`; a refusal is audited as `audit_action`.
  Result<access::Principal> Authorise(Context& ctx, access::Action action, const std::string& audit_action);

  // Appends an audit record (user, client, time and justification filled in from `ctx`) and
  // returns when it is durable. Callers show data only after this succeeded.
  Status Audit(Context& ctx, audit::Record record);
  Status Audit(Context& ctx, std::vector<audit::Record> records);  // in one commit
  // The audit record and other entries (written first) in one commit.
  Result<journal::AppendResult> AuditWith(Context& ctx, audit::Record record, std::vector<journal::EntryInput> entries);
  // Fills in the time, user (the --as user, else the operating-system account), client and,
  // if empty, the justification (--reason), as Audit does.
  static void Stamp(Context& ctx, audit::Record& record);

  // From here on, Write appends to the journal and hands each batch to a thread that applies
  // it to the index (service::IngestPipeline), and Current reads through a second connection
  // to the index: an ingest on two cores.
  Status StartPipeline(Context& ctx);
  Result<std::optional<model::Entity>> Current(const std::string& id) override;
  Status Write(const std::vector<model::Entity>& versions) override;
  Status Drain() override;
  // The entities Write has written: how many, and the first ids (as many as matching at
  // ingest takes).
  const service::WrittenIds& written() const { return written_; }

  // Drains the pipeline, if started, and commits the index's bulk transaction (the journal
  // is durable already).
  Status Finish();

  // Runs `read` against the index; if the index turns out to be damaged (kDataLoss, e.g. a
  // page that fails authentication), says so on ctx.err, rebuilds the index from the journal
  // and runs `read` once more.
  Status ReadIndex(Context& ctx, const std::function<Status(index::Index&)>& read);

  index::Index& index() { return *index_; }
  // Another connection to the index, for reading beside the session's own.
  Result<std::unique_ptr<index::Index>> OpenIndexReader(Context& ctx);
  journal::Journal* journal() { return journal_.get(); }
  const journal::Keyring& keyring() const { return journal_->keyring(); }

 private:
  // Opens, catches up or rebuilds the index; the caller holds the store's lock.
  Status MaintainIndex(Context& ctx, IndexMode mode);
  bool rebuilt_ = false;
  std::unique_ptr<access::User> consultant_;  // --as, once authenticated
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<index::Index> index_;
  service::WrittenIds written_{service::kMaxMatchedAtIngest};
  // Uses journal_, index_ and written_ (its destructor applies what is left): declared after them.
  std::unique_ptr<service::IngestPipeline> pipeline_;
};

// The users, as the journal's user events say (every entry is read).
Result<access::UserDirectory> LoadUsers(FileSystem& fs, const journal::StorePaths& paths,
                                        const journal::Keyring& keyring);

// The key the store's index is sealed with: derived from the active data key (0: the active
// one), so `ura key rotate` makes the next command rebuild the index under a new key.
Result<crypto::SecretBytes> IndexKey(const journal::Keyring& keyring, uint32_t data_key_id = 0);

}  // namespace ura::cli
