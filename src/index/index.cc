#include "index/index.h"

#include "journal/journal_reader.h"

namespace ura::index {

namespace {

Status NotAnEntity(uint64_t sequence) {
  return Corruption("journal entry " + std::to_string(sequence) + " is not a valid entity version",
                    {"", std::nullopt, sequence, "entity"});
}

}  // namespace

Status CatchUp(Index& index, FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring,
               const std::function<void(uint64_t, uint64_t)>& progress) {
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs, paths));
  URA_ASSIGN_OR_RETURN(journal::SignedHead head, journal::ReadLatestHead(fs, paths, meta));
  if (head.tree_size <= index.applied_size()) return Status::Ok();
  std::vector<model::Entity> entities;
  std::vector<std::string> payloads;
  std::vector<uint64_t> sequences;
  auto flush = [&](uint64_t applied, ByteView root) -> Status {
    std::vector<VersionToApply> versions;
    versions.reserve(entities.size());
    for (size_t i = 0; i < entities.size(); ++i) versions.push_back({sequences[i], &entities[i], payloads[i]});
    URA_RETURN_IF_ERROR(index.Apply(versions, applied, root));
    entities.clear();
    payloads.clear();
    sequences.clear();
    return Status::Ok();
  };
  const uint64_t start = index.applied_size();
  URA_RETURN_IF_ERROR(journal::ReadEntries(
      fs, paths, keyring, start, head.tree_size, [&](const journal::DecodedEntry& e) -> Status {
        const uint64_t next = e.sequence + 1;
        if (progress && (next - start) % 8192 == 0) progress(next - start, head.tree_size - start);
        if (e.type != kEntryTypeEntityVersion) return Status::Ok();
        auto entity = model::ParseEntityJson(AsString(e.payload));
        if (!entity.ok()) return NotAnEntity(e.sequence);
        entities.push_back(std::move(entity).value());
        payloads.emplace_back(AsString(e.payload));
        sequences.push_back(e.sequence);
        // Mid-way sizes are not a head's: no root recorded for them.
        if (entities.size() >= 5000) return flush(next, {});
        return Status::Ok();
      }));
  if (progress) progress(head.tree_size - start, head.tree_size - start);
  return flush(head.tree_size, head.root);
}

Result<IndexCheckReport> CheckAgainstJournal(Index& index, FileSystem& fs, const journal::StorePaths& paths,
                                             const journal::Keyring& keyring) {
  URA_RETURN_IF_ERROR(index.CheckStorage());
  IndexCheckReport report;
  uint64_t matched = 0;
  Status first_problem;
  auto problem = [&](const std::string& what) -> Status {
    return Corruption("the index does not match the journal: " + what + " (run `ura reindex`)", {"index", std::nullopt, std::nullopt, "index"});
  };
  URA_RETURN_IF_ERROR(journal::ReadEntries(
      fs, paths, keyring, 0, index.applied_size(), [&](const journal::DecodedEntry& e) -> Status {
        if (e.type != kEntryTypeEntityVersion) return Status::Ok();
        ++report.versions;
        auto entity = model::ParseEntityJson(AsString(e.payload));
        if (!entity.ok()) return NotAnEntity(e.sequence);
        URA_ASSIGN_OR_RETURN(std::optional<CurrentVersion> current, index.Current(entity->id));
        if (!current) return problem("entity " + entity->id + " (journal entry " + std::to_string(e.sequence) + ") is missing");
        if (current->sequence < e.sequence) {
          return problem("entity " + entity->id + " is at journal entry " + std::to_string(current->sequence) +
                         ", but entry " + std::to_string(e.sequence) + " is a later version");
        }
        if (current->sequence == e.sequence) {
          if (current->json != AsString(e.payload)) {
            return problem("entity " + entity->id + " differs from journal entry " + std::to_string(e.sequence));
          }
          ++matched;
        }
        return Status::Ok();
      }));
  URA_ASSIGN_OR_RETURN(report.entities, index.EntityCount());
  if (report.entities != matched) {
    return problem(std::to_string(report.entities - matched) +
                   " entities are not the journal's latest version of any entity");
  }
  return report;
}

}  // namespace ura::index
