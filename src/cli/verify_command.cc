// `ura verify [--trusted-head FILE] [--deep]`: exit 0 intact, 3 damaged, 2 usage/environment.
#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli.h"
#include "cli/store_session.h"
#include "index/sqlite/sqlite_index.h"
#include "resolve/incremental.h"
#include "journal/journal_reader.h"
#include "journal/verify.h"
#include "recovery/witness.h"

namespace ura::cli {

namespace {

// What `verify --deep` found comparing the index with the journal.
struct IndexVerdict {
  bool checked = false;
  bool intact = true;
  bool missing = false;
  uint64_t entities = 0;
  uint64_t behind = 0;  // journal entries not applied yet (a crash before the index caught up)
  std::string problem;
  std::string note;     // not damage, but worth saying (e.g. an index from an older version)
};

IndexVerdict CheckIndex(Context& ctx, const journal::Keyring& keyring, uint64_t tree_size) {
  IndexVerdict v;
  v.checked = true;
  journal::StorePaths paths = ctx.paths();
  const std::string path = index::IndexPath(paths);
  if (!ctx.fs->Exists(path)) {
    // A store that never held an entity has no index yet.
    bool any_entity = false;
    Status s = journal::ReadEntries(*ctx.fs, paths, keyring, 0, tree_size, [&](const journal::DecodedEntry& e) {
      if (e.type == index::kEntryTypeEntityVersion) {
        any_entity = true;
        return AlreadyExists("an entity version");  // stops the read: one is enough
      }
      return Status::Ok();
    });
    s.IgnoreError();  // only whether one was seen matters; errors were reported by the journal check
    if (any_entity) {
      v.intact = false;
      v.missing = true;
      v.problem = "the index is missing (it was deleted); run `ura reindex` or any command that reads the store";
    }
    return v;
  }
  auto key = IndexKey(keyring);
  if (!key.ok()) {
    v.intact = false;
    v.problem = key.status().message();
    return v;
  }
  auto idx = index::SqliteIndex::Open(path, key->view(), resolve::IndexedBlockingKeys());
  if (!idx.ok() && idx.status().code() == StatusCode::kFailedPrecondition &&
      idx.status().message().find("key does not match") == std::string::npos) {
    v.note = idx.status().message() + "; the next command rebuilds it (or run `ura reindex`)";
    return v;
  }
  if (!idx.ok() && idx.status().message().find("key does not match") != std::string::npos) {
    // Sealed before a key rotation? Then it opens with a key derived from an older data key.
    for (const auto& info : keyring.data_keys()) {
      if (info.id == keyring.active_data_key_id()) continue;
      auto old_key = IndexKey(keyring, info.id);
      if (!old_key.ok()) continue;
      if (index::SqliteIndex::Open(path, old_key->view(), resolve::IndexedBlockingKeys()).ok()) {
        v.note = "the index is sealed with a key from before the last `ura key rotate`; the next command rebuilds "
                 "it under the new key (or run `ura reindex`)";
        return v;
      }
    }
  }
  if (!idx.ok()) {
    v.intact = false;
    v.problem = "the index cannot be read: " + idx.status().message() + "; run `ura reindex`";
    return v;
  }
  auto report = index::CheckAgainstJournal(**idx, *ctx.fs, paths, keyring);
  if (!report.ok()) {
    v.intact = false;
    v.problem = report.status().message();
    return v;
  }
  v.entities = report->entities;
  v.behind = tree_size > (*idx)->applied_size() ? tree_size - (*idx)->applied_size() : 0;
  return v;
}

int Verify(Context& ctx, const std::string& trusted_file, bool deep, int threads, const std::vector<std::string>& witnesses,
           std::string cosignatures) {
  FileSystem& fs = *ctx.fs;
  journal::StorePaths paths = ctx.paths();
  auto meta = journal::LoadStoreMeta(fs, paths);
  if (!meta.ok()) {
    ReportError(ctx, meta.status());
    return meta.status().code() == StatusCode::kDataLoss ? kExitDamaged : kExitUsage;
  }
  std::optional<journal::SignedHead> trusted;
  if (!trusted_file.empty()) {
    auto data = ReadWholeFile(fs, trusted_file);
    if (!data.ok()) {
      ReportError(ctx, data.status().WithContext("reading --trusted-head"));
      return kExitUsage;
    }
    auto head = journal::ParseHeadJson(AsString(*data));
    if (!head.ok()) {
      ReportError(ctx, head.status().WithContext(trusted_file));
      return kExitUsage;
    }
    trusted = *head;
  }
  std::unique_ptr<journal::Keyring> keyring;
  if (deep) {
    auto secret = ObtainSecret(ctx);
    if (!secret.ok()) {
      ReportError(ctx, secret.status());
      return kExitUsage;
    }
    auto k = journal::Keyring::Unlock(fs, paths, *secret);
    if (!k.ok()) {
      ReportError(ctx, k.status());
      return k.status().code() == StatusCode::kDataLoss ? kExitDamaged : kExitUsage;
    }
    keyring = std::move(k).value();
  }
  journal::VerifyOptions options;
  options.trusted_head = trusted ? &*trusted : nullptr;
  options.keyring = keyring.get();
  options.threads = threads;
  auto start = std::chrono::steady_clock::now();
  auto report = journal::VerifyJournal(fs, paths, *meta, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report.ok()) {
    ReportError(ctx, report.status());
    return report.status().code() == StatusCode::kDataLoss ? kExitDamaged : kExitUsage;
  }
  const journal::VerifyReport& r = *report;
  IndexVerdict index_verdict;
  if (r.intact && keyring) index_verdict = CheckIndex(ctx, *keyring, r.tree_size);
  // Witnesses: each named one must have cosigned a head of this history (recovery/witness.h).
  std::vector<recovery::WitnessVerdict> witness_verdicts;
  if (r.intact && !witnesses.empty()) {
    if (cosignatures.empty()) cosignatures = JoinPath(paths.dir, "cosignatures");
    auto heads = recovery::ListHeadFrames(fs, paths.journal_dir);
    if (!heads.ok()) return ReportError(ctx, heads.status());
    auto verdicts = recovery::CheckWitnesses(fs, cosignatures, witnesses, *meta, *heads);
    if (!verdicts.ok()) return ReportError(ctx, verdicts.status());
    witness_verdicts = std::move(verdicts).value();
  }
  bool witnesses_ok = true;
  for (const auto& w : witness_verdicts) witnesses_ok = witnesses_ok && w.ok;
  const bool all_intact = r.intact && index_verdict.intact && witnesses_ok;
  std::ostream& out = *ctx.out;
  if (ctx.json) {
    nlohmann::json j = {{"intact", r.intact},
                        {"deep", deep},
                        {"segments", r.segments},
                        {"bytes", r.bytes},
                        {"tree_size", r.tree_size},
                        {"root_hash", HexEncode(r.root)},
                        {"heads_checked", r.heads_checked},
                        {"entries_decrypted", r.entries_decrypted},
                        {"trusted_head_checked", r.trusted_head_checked},
                        {"seconds", seconds}};
    if (r.torn_tail) {
      j["torn_tail"] = {{"segment", r.torn_tail->segment},
                        {"offset", r.torn_tail->offset},
                        {"bytes", r.torn_tail->bytes},
                        {"entries", r.torn_tail->entries}};
    }
    j["intact"] = all_intact;
    j["index"] = {{"checked", index_verdict.checked}, {"intact", index_verdict.intact},
                  {"entities", index_verdict.entities}, {"behind", index_verdict.behind}};
    if (!index_verdict.problem.empty()) j["index"]["problem"] = index_verdict.problem;
    if (!index_verdict.note.empty()) j["index"]["note"] = index_verdict.note;
    for (const auto& w : witness_verdicts) {
      j["witnesses"].push_back({{"public_key", w.witness}, {"ok", w.ok}, {"cosigned_size", w.cosigned_size},
                                 {"cosigned", w.cosigned_us ? FormatRfc3339(w.cosigned_us) : ""}, {"problem", w.problem}});
    }
    if (!r.intact) {
      nlohmann::json p = {{"message", r.problem.message()}};
      if (const auto& c = r.problem.corruption()) {
        p["file"] = c->file;
        p["kind"] = c->kind;
        if (c->offset) p["offset"] = *c->offset;
        if (c->sequence) p["first_bad_sequence"] = *c->sequence;
      }
      j["problem"] = p;
    }
    out << j.dump(2) << "\n";
  } else if (r.intact) {
    out << (index_verdict.intact ? "intact: " : "journal intact: ") << r.tree_size << " entries in " << r.segments << " segments ("
        << r.bytes << " bytes), " << r.heads_checked << " signed heads checked"
        << (deep ? ", every entry decrypted and authenticated" : "")
        << (r.trusted_head_checked ? ", extends the trusted head" : "") << "\n"
        << "root " << HexEncode(r.root) << "\n";
    if (r.torn_tail) {
      out << "note: " << r.torn_tail->bytes << " bytes after the last signed head in "
          << r.torn_tail->segment << " were never acknowledged (an interrupted write); the next "
          << "writer cuts them off\n";
    }
    if (!index_verdict.checked) {
      out << "index: not checked (it is encrypted: run `ura verify --deep` with the keys)\n";
    } else if (!index_verdict.note.empty()) {
      out << "index: not checked: " << index_verdict.note << "\n";
    } else if (index_verdict.intact) {
      out << "index: matches the journal (" << index_verdict.entities << " entities)";
      if (index_verdict.behind) out << "; " << index_verdict.behind << " newer journal entries are applied on the next command";
      out << "\n";
    } else {
      out << "INDEX DAMAGED: " << index_verdict.problem << "\n"
          << "The journal is intact, so nothing is lost: `ura reindex` rebuilds the index from it.\n";
    }
    for (const auto& w : witness_verdicts) {
      if (w.ok) {
        out << "witness " << w.witness << ": cosigned tree size " << w.cosigned_size << ", in this history\n";
      } else {
        out << (w.witness.empty() ? std::string("COSIGNATURES: ") : "WITNESS " + w.witness + ": ") << w.problem << "\n";
      }
    }
  } else {
    out << "DAMAGED: " << r.problem.message() << "\n";
    if (const auto& c = r.problem.corruption()) {
      if (c->sequence) out << "  first bad sequence  " << *c->sequence << "\n";
      if (!c->file.empty()) out << "  file                " << c->file << "\n";
      if (c->offset) out << "  byte offset         " << *c->offset << "\n";
      out << "  kind                " << c->kind << "\n";
    }
    out << "Do not trust the store past that point: restore it from a backup and find out "
           "how it was changed.\n";
  }
  return all_intact ? kExitOk : kExitDamaged;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify", "Check the journal: structure, Merkle tree, signatures (no keys needed); exit 0 "
                "intact, 3 damaged, 2 usage");
  auto trusted = std::make_shared<std::string>();
  auto deep = std::make_shared<bool>(false);
  auto threads = std::make_shared<int>(2);
  auto witnesses = std::make_shared<std::vector<std::string>>();
  auto cosignatures = std::make_shared<std::string>();
  cmd->add_option("--trusted-head", *trusted, "A head saved earlier with `ura head --json`");
  cmd->add_flag("--deep", *deep, "Also decrypt and authenticate every entry and check the index against the journal (needs the keys)");
  cmd->add_option("--threads", *threads, "Threads for reading and hashing (default 2)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--witness", *witnesses, "Witness public keys (hex) that must have cosigned a head of this history");
  cmd->add_option("--cosignatures", *cosignatures, "Directory of cosignature files (default DATA/cosignatures)");
  cmd->callback([&ctx, &exit_code, trusted, deep, threads, witnesses, cosignatures] {
    exit_code = Verify(ctx, *trusted, *deep, *threads, *witnesses, *cosignatures);
  });
}

}  // namespace ura::cli
