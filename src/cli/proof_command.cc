// `ura proof inclusion SEQ`, `ura proof consistency OLD_SIZE`: RFC 9162 proofs as JSON that a
// third party can check against a head; `ura proof check FILE [--head HEAD]` checks one.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/cli.h"
#include "journal/journal_reader.h"
#include "journal/proof_codec.h"

namespace ura::cli {

namespace {

struct ProofFlags {
  uint64_t seq_or_old = 0;
  uint64_t tree_size = 0;  // 0: the latest head
  std::string file;
  std::string head_file;
};

Result<std::pair<journal::StoreMeta, journal::MerkleTree>> LoadTree(Context& ctx) {
  journal::StorePaths paths = ctx.paths();
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(*ctx.fs, paths));
  URA_ASSIGN_OR_RETURN(journal::MerkleTree tree, journal::BuildMerkleTree(*ctx.fs, paths, meta));
  return std::make_pair(std::move(meta), std::move(tree));
}

int Inclusion(Context& ctx, const ProofFlags& f) {
  auto loaded = LoadTree(ctx);
  if (!loaded.ok()) return ReportError(ctx, loaded.status());
  auto& [meta, tree] = *loaded;
  uint64_t size = f.tree_size == 0 ? tree.size() : f.tree_size;
  if (size > tree.size() || f.seq_or_old >= size) {
    return ReportError(ctx, InvalidArgument("entry " + std::to_string(f.seq_or_old) +
                                            " is not in a tree of size " + std::to_string(size) +
                                            " (the journal has " + std::to_string(tree.size()) +
                                            " committed entries)"));
  }
  auto path = tree.InclusionProof(f.seq_or_old, size);
  if (!path.ok()) return ReportError(ctx, path.status());
  journal::InclusionProofDoc doc{HexEncode(meta.store_id), f.seq_or_old, size,
                                 tree.LeafHash(f.seq_or_old), tree.RootAt(size), *path};
  *ctx.out << journal::ToJson(doc) << "\n";
  return kExitOk;
}

int Consistency(Context& ctx, const ProofFlags& f) {
  auto loaded = LoadTree(ctx);
  if (!loaded.ok()) return ReportError(ctx, loaded.status());
  auto& [meta, tree] = *loaded;
  uint64_t size = f.tree_size == 0 ? tree.size() : f.tree_size;
  if (size > tree.size() || f.seq_or_old == 0 || f.seq_or_old > size) {
    return ReportError(ctx, InvalidArgument("need 0 < OLD_SIZE <= " + std::to_string(size) +
                                            " (the journal has " + std::to_string(tree.size()) +
                                            " committed entries)"));
  }
  auto proof = tree.ConsistencyProof(f.seq_or_old, size);
  if (!proof.ok()) return ReportError(ctx, proof.status());
  journal::ConsistencyProofDoc doc{HexEncode(meta.store_id), f.seq_or_old, size,
                                   tree.RootAt(f.seq_or_old), tree.RootAt(size), *proof};
  *ctx.out << journal::ToJson(doc) << "\n";
  return kExitOk;
}

int Check(Context& ctx, const ProofFlags& f) {
  auto data = ReadWholeFile(*ctx.fs, f.file);
  if (!data.ok()) return ReportError(ctx, data.status());
  std::string_view text = AsString(*data);
  std::optional<journal::SignedHead> head;
  if (!f.head_file.empty()) {
    auto hd = ReadWholeFile(*ctx.fs, f.head_file);
    if (!hd.ok()) return ReportError(ctx, hd.status());
    auto h = journal::ParseHeadJson(AsString(*hd));
    if (!h.ok()) return ReportError(ctx, h.status());
    Status sig = journal::VerifyHeadSignature(*h);
    if (!sig.ok()) return ReportError(ctx, InvalidArgument("the head's signature does not verify"));
    head = *h;
  }
  Status result;
  std::string what;
  if (text.find("\"inclusion\"") != std::string_view::npos) {
    auto doc = journal::ParseInclusionProof(text);
    if (!doc.ok()) return ReportError(ctx, doc.status());
    result = journal::VerifyInclusion(doc->leaf_hash, doc->leaf_index, doc->tree_size,
                                      doc->audit_path, doc->root_hash);
    if (result.ok() && head &&
        (head->tree_size != doc->tree_size || head->root != doc->root_hash ||
         HexEncode(head->store_id) != doc->store_id)) {
      result = Status(StatusCode::kDataLoss, "the proof is for another tree than the head's");
    }
    what = "entry " + std::to_string(doc->leaf_index) + " is in the tree of size " +
           std::to_string(doc->tree_size);
  } else {
    auto doc = journal::ParseConsistencyProof(text);
    if (!doc.ok()) return ReportError(ctx, doc.status());
    result = journal::VerifyConsistency(doc->old_size, doc->new_size, doc->old_root,
                                        doc->new_root, doc->proof);
    if (result.ok() && head &&
        (head->tree_size != doc->new_size || head->root != doc->new_root ||
         HexEncode(head->store_id) != doc->store_id)) {
      result = Status(StatusCode::kDataLoss, "the proof is for another tree than the head's");
    }
    what = "the tree of size " + std::to_string(doc->new_size) + " extends the tree of size " +
           std::to_string(doc->old_size);
  }
  if (!result.ok()) {
    *ctx.out << "INVALID: " << result.message() << "\n";
    return kExitDamaged;
  }
  *ctx.out << "valid: " << what << (head ? " (and matches the signed head)" : "") << "\n";
  return kExitOk;
}

}  // namespace

void RegisterProofCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* group = app.add_subcommand("proof", "Merkle proofs (RFC 9162) for third parties; no keys needed");
  group->require_subcommand(1);
  auto f = std::make_shared<ProofFlags>();

  auto* inc = group->add_subcommand("inclusion", "Prove that entry SEQ is in the journal");
  inc->add_option("SEQ", f->seq_or_old, "Sequence number of the entry")->required();
  inc->add_option("--tree-size", f->tree_size, "Tree size to prove against (default: latest head)");
  inc->callback([&ctx, &exit_code, f] { exit_code = Inclusion(ctx, *f); });

  auto* con = group->add_subcommand("consistency", "Prove the journal extends its first OLD_SIZE entries");
  con->add_option("OLD_SIZE", f->seq_or_old, "Tree size of the earlier head")->required();
  con->add_option("--tree-size", f->tree_size, "Newer tree size (default: latest head)");
  con->callback([&ctx, &exit_code, f] { exit_code = Consistency(ctx, *f); });

  auto* check = group->add_subcommand("check", "Check a proof file (exit 0 valid, 3 invalid)");
  check->add_option("FILE", f->file, "Proof JSON from `ura proof`")->required();
  check->add_option("--head", f->head_file, "A signed head (`ura head --json`) the proof must match");
  check->callback([&ctx, &exit_code, f] { exit_code = Check(ctx, *f); });
}

}  // namespace ura::cli
