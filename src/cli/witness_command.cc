// `ura witness keygen --out KEY` and `ura witness cosign HEAD.json --key KEY [--state DIR]
// [--proof PROOF.json] [-o FILE]`: a second site cosigns the store's heads after checking that
// each extends the last one it cosigned (recovery/witness.h). Needs no store.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/recovery_commands.h"
#include "journal/proof_codec.h"
#include "recovery/witness.h"

namespace ura::cli {

namespace {

struct WitnessFlags {
  std::string out_key;
  std::string head_file;
  std::string key;
  std::string state;
  std::string proof;
  std::string output;
};

// --state, else $URA_WITNESS_STATE, else ./ura-witness.
std::string StateDir(const WitnessFlags& f) {
  if (!f.state.empty()) return f.state;
  if (const char* env = std::getenv("URA_WITNESS_STATE"); env != nullptr && *env != '\0') return env;
  return "./ura-witness";
}

int Keygen(Context& ctx, const WitnessFlags& f) {
  auto signer = recovery::CreateWitnessKey(*ctx.fs, f.out_key);
  if (!signer.ok()) return ReportError(ctx, signer.status());
  if (ctx.json) {
    *ctx.out << nlohmann::json{{"key_file", f.out_key}, {"public_key", HexEncode((*signer)->public_key())}}.dump(2) << "\n";
  } else {
    *ctx.out << "witness key written to " << f.out_key << " (keep it secret)\npublic key "
             << HexEncode((*signer)->public_key()) << "\n";
  }
  return kExitOk;
}

int CosignHead(Context& ctx, const WitnessFlags& f) {
  FileSystem& fs = *ctx.fs;
  auto head = ReadHeadFile(fs, f.head_file, "HEAD.json");
  if (!head.ok()) return ReportError(ctx, head.status());
  auto key = recovery::LoadWitnessKey(fs, f.key);
  if (!key.ok()) return ReportError(ctx, key.status());
  std::optional<journal::ConsistencyProofDoc> proof;
  if (!f.proof.empty()) {
    auto data = ReadWholeFile(fs, f.proof);
    if (!data.ok()) return ReportError(ctx, InvalidArgument("reading --proof: " + data.status().message()));
    auto doc = journal::ParseConsistencyProof(AsString(*data));
    if (!doc.ok()) return ReportError(ctx, doc.status().WithContext(f.proof));
    proof = *doc;
  }
  auto result = recovery::Cosign(fs, **key, *head, proof ? &*proof : nullptr, StateDir(f), *ctx.clock);
  if (!result.ok()) {
    int code = ReportError(ctx, result.status());
    return result.status().code() == StatusCode::kFailedPrecondition ? kExitDamaged : code;
  }
  const std::string text = recovery::CosignatureToJson(result->cosignature) + "\n";
  if (f.output.empty()) {
    *ctx.out << text;
    return kExitOk;
  }
  // A cosignature file is evidence: never overwrite one.
  auto file = fs.OpenWritable(f.output, OpenMode::kCreateNew);
  if (!file.ok()) return ReportError(ctx, file.status());
  Status s = (*file)->Append(AsBytes(text));
  if (s.ok()) s = (*file)->Sync();
  if (!s.ok()) return ReportError(ctx, s);
  *ctx.err << "cosigned tree size " << head->tree_size << " of store " << HexEncode(head->store_id)
           << (result->previous_size ? " (extends " + std::to_string(*result->previous_size) + ")" : " (first head seen)")
           << "; written to " << f.output << "\n";
  return kExitOk;
}

}  // namespace

void RegisterWitnessCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* group = app.add_subcommand("witness", "Cosign the store's signed heads from a second site");
  group->require_subcommand(1);
  auto f = std::make_shared<WitnessFlags>();
  auto* keygen = group->add_subcommand("keygen", "Create a witness key (Ed25519) and print its public key");
  keygen->add_option("--out", f->out_key, "New key file (never overwritten)")->required();
  keygen->callback([&ctx, &exit_code, f] { exit_code = Keygen(ctx, *f); });

  auto* cosign = group->add_subcommand(
      "cosign", "Cosign a head (`ura head --json`) if it extends the last one this witness cosigned; exit 3 if it does not");
  cosign->add_option("HEAD", f->head_file, "The head to cosign")->required();
  cosign->add_option("--key", f->key, "The witness key file")->required();
  cosign->add_option("--state", f->state, "Where the witness keeps the last head it cosigned (default $URA_WITNESS_STATE, else ./ura-witness)");
  cosign->add_option("--proof", f->proof, "Consistency proof from the last cosigned size (`ura proof consistency OLD --tree-size NEW`)");
  cosign->add_option("-o,--output", f->output, "Write the cosignature here (default: standard output)");
  cosign->callback([&ctx, &exit_code, f] { exit_code = CosignHead(ctx, *f); });
}

}  // namespace ura::cli
