#include "service/store_writer.h"

namespace ura::service {

Result<std::optional<model::Entity>> StoreWriter::Current(const std::string& id) {
  std::unique_lock<std::mutex> lock;
  if (index_mu_ != nullptr) lock = std::unique_lock(*index_mu_);
  return index_.Get(id);
}

Status StoreWriter::Write(const std::vector<model::Entity>& versions) {
  URA_ASSIGN_OR_RETURN(Appended appended, Append(versions));
  return Apply(versions, appended);
}

Result<StoreWriter::Appended> StoreWriter::Append(const std::vector<model::Entity>& versions) {
  Appended out;
  out.payloads.reserve(versions.size());
  for (const auto& e : versions) out.payloads.push_back(model::CanonicalJson(e));
  std::vector<journal::EntryInput> entries;
  entries.reserve(versions.size());
  for (const auto& p : out.payloads) entries.push_back({index::kEntryTypeEntityVersion, AsBytes(p)});
  URA_ASSIGN_OR_RETURN(out.result, journal_.Append(entries));
  return out;
}

Status StoreWriter::Apply(const std::vector<model::Entity>& versions, const Appended& appended) {
  const journal::AppendResult& r = appended.result;
  std::vector<index::VersionToApply> applied;
  applied.reserve(versions.size());
  for (size_t i = 0; i < versions.size(); ++i) {
    applied.push_back({r.first_sequence + i, &versions[i], appended.payloads[i]});
  }
  const uint64_t applied_size = r.first_sequence + r.count;
  const ByteView root = r.head.tree_size == applied_size ? ByteView(r.head.root) : ByteView();
  std::unique_lock<std::mutex> lock;
  if (index_mu_ != nullptr) lock = std::unique_lock(*index_mu_);
  Status indexed = index_.Apply(applied, {}, applied_size, root);
  if (written_ != nullptr) {
    for (const auto& e : versions) written_->Add(e.id);
  }
  if (!indexed.ok()) {
    return indexed.WithContext("the journal holds this batch, but updating the index failed (it catches up on the "
                               "next open)");
  }
  return indexed;
}

}  // namespace ura::service
