// What commands that read or write police data share: the store opened for writing (or only
// its keys, for reading), its index caught up with the journal, and a sink that writes entity
// versions to the journal and then the index.
#pragma once

#include <functional>
#include <memory>

#include "cli/cli.h"
#include "index/index.h"
#include "ingest/ingester.h"
#include "journal/journal.h"

namespace ura::cli {

class StoreSession final : public ingest::EntityState, public ingest::EntitySink {
 public:
  enum class IndexMode {
    kCatchUp,  // open the index (rebuilding it if missing, damaged or of an old format) and catch up
    kRebuild,  // delete the index and rebuild it from the journal
  };
  // Opens the journal for writing (reporting a recovered torn tail on ctx.err) and the index.
  static Result<std::unique_ptr<StoreSession>> OpenForWrite(Context& ctx, IndexMode mode = IndexMode::kCatchUp);
  // Read-only: keys and the index. Unless another process holds the store (an ingest or a
  // reindex), the index is first caught up with the journal (rebuilt if missing or damaged),
  // under the store's lock; otherwise what that writer has committed is read.
  static Result<std::unique_ptr<StoreSession>> OpenForRead(Context& ctx);

  Result<std::optional<model::Entity>> Current(const std::string& id) override;
  Status Write(const std::vector<model::Entity>& versions) override;

  // Commits the index's bulk transaction (the journal is durable already).
  Status Finish();

  // Runs `read` against the index; if the index turns out to be damaged (kDataLoss, e.g. a
  // page that fails authentication), says so on ctx.err, rebuilds the index from the journal
  // and runs `read` once more.
  Status ReadIndex(Context& ctx, const std::function<Status(index::Index&)>& read);

  index::Index& index() { return *index_; }
  journal::Journal* journal() { return journal_.get(); }
  const journal::Keyring& keyring() const { return journal_ ? journal_->keyring() : *read_keyring_; }

 private:
  // Opens, catches up or rebuilds the index; the caller holds the store's lock.
  Status MaintainIndex(Context& ctx, IndexMode mode);
  Status OpenIndexForReading(Context& ctx);
  bool rebuilt_ = false;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::Keyring> read_keyring_;
  std::unique_ptr<index::Index> index_;
};

// The key the store's index is sealed with (derived from the keyring).
Result<crypto::SecretBytes> IndexKey(const journal::Keyring& keyring);

}  // namespace ura::cli
