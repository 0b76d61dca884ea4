// What commands that read or write police data share: the store opened for writing, its
// entity index caught up with the journal, and a sink that writes entity versions to the
// journal and then the index.
#pragma once

#include <memory>

#include "cli/cli.h"
#include "index/entity_index.h"
#include "ingest/ingester.h"
#include "journal/journal.h"

namespace ura::cli {

class StoreSession final : public ingest::EntityState, public ingest::EntitySink {
 public:
  // Opens the journal for writing (reporting a recovered torn tail on ctx.err) and the
  // index, rebuilding or catching it up from the journal.
  static Result<std::unique_ptr<StoreSession>> OpenForWrite(Context& ctx);
  // Read-only: keys and the index, caught up as far as the journal's latest head.
  static Result<std::unique_ptr<StoreSession>> OpenForRead(Context& ctx);

  Result<std::optional<model::Entity>> Current(const std::string& id) override;
  Status Write(const std::vector<model::Entity>& versions) override;

  // Commits the index's bulk transaction (the journal is durable already).
  Status Finish();

  index::EntityIndex& index() { return *index_; }
  journal::Journal* journal() { return journal_.get(); }

 private:
  static Status OpenIndex(Context& ctx, const journal::Keyring& keyring, StoreSession& s);
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::Keyring> read_keyring_;
  std::unique_ptr<index::EntityIndex> index_;
};

}  // namespace ura::cli
