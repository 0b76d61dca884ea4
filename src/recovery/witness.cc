#include "recovery/witness.h"

#include <nlohmann/json.hpp>
#include <set>

#include "journal/merkle.h"

namespace ura::recovery {

using nlohmann::json;

Bytes CosignMessage(const journal::SignedHead& head) {
  std::string prefix = "URA-WITNESS-COSIGN-V1";
  Bytes m(prefix.begin(), prefix.end());
  AppendBytes(m, head.Message());
  return m;
}

std::string CosignatureToJson(const Cosignature& c) {
  json j = {{"format", "ura-cosignature"},
            {"version", 1},
            {"head", json::parse(journal::HeadToJson(c.head))},
            {"witness_public_key", HexEncode(c.witness)},
            {"cosigned_us", c.cosigned_us},
            {"signature", HexEncode(c.signature)}};
  return j.dump(2);
}

Result<Cosignature> ParseCosignature(std::string_view text, const std::string& file) {
  auto bad = [&](const std::string& what) { return InvalidArgument(file + ": " + what + " (not a Ura cosignature)"); };
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return bad(std::string("not valid JSON: ") + e.what());
  }
  try {
    if (!j.is_object() || j.value("format", "") != "ura-cosignature" || j.value("version", 0) != 1) return bad("wrong format");
    Cosignature c;
    auto head = journal::ParseHeadJson(j.at("head").dump());
    if (!head.ok()) return bad(head.status().message());
    c.head = *head;
    auto key = HexDecode(j.at("witness_public_key").get<std::string>());
    auto sig = HexDecode(j.at("signature").get<std::string>());
    if (!key.ok() || key->size() != 32) return bad("witness_public_key is not 32 hex bytes");
    if (!sig.ok() || sig->size() != 64) return bad("signature is not 64 hex bytes");
    std::copy(key->begin(), key->end(), c.witness.begin());
    std::copy(sig->begin(), sig->end(), c.signature.begin());
    c.cosigned_us = j.at("cosigned_us").get<int64_t>();
    return c;
  } catch (const json::exception& e) {
    return bad(e.what());
  }
}

Status VerifyCosignature(const Cosignature& c) {
  if (!journal::VerifyHeadSignature(c.head).ok()) return Status(StatusCode::kDataLoss, "the cosigned head's own signature is invalid");
  if (!crypto::VerifyEd25519(c.witness, CosignMessage(c.head), c.signature)) {
    return Status(StatusCode::kDataLoss, "the witness's signature is invalid");
  }
  return Status::Ok();
}

Result<std::unique_ptr<crypto::Ed25519Signer>> LoadWitnessKey(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return data.status().WithContext("reading the witness key");
  std::string text(AsString(*data));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto seed = HexDecode(text);
  if (!seed.ok() || seed->size() != crypto::kEd25519SeedSize) {
    return InvalidArgument(path + ": a witness key file holds 64 hex digits (make one with `ura witness keygen`)");
  }
  crypto::SecretBytes secret{ByteView(*seed)};
  std::fill(seed->begin(), seed->end(), 0);
  return crypto::Ed25519Signer::FromSeed(secret.view());
}

Result<std::unique_ptr<crypto::Ed25519Signer>> CreateWitnessKey(FileSystem& fs, const std::string& path) {
  auto signer = crypto::Ed25519Signer::Generate();
  crypto::SecretBytes seed = signer->ExportSeed();
  std::string hex = HexEncode(seed.view()) + "\n";
  URA_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path, OpenMode::kCreateNew));
  Status s = file->Append(AsBytes(hex));
  std::fill(hex.begin(), hex.end(), '\0');
  URA_RETURN_IF_ERROR(s);
  URA_RETURN_IF_ERROR(file->Sync());
  return signer;
}

Result<CosignResult> Cosign(FileSystem& fs, const crypto::Ed25519Signer& witness, const journal::SignedHead& head,
                            const journal::ConsistencyProofDoc* proof, const std::string& state_dir, Clock& clock) {
  if (!journal::VerifyHeadSignature(head).ok()) {
    return InvalidArgument("the head's signature does not verify under its own public key; not cosigned");
  }
  URA_RETURN_IF_ERROR(fs.CreateDir(state_dir));
  const std::string state_file = JoinPath(state_dir, HexEncode(head.store_id) + ".json");
  CosignResult result;
  if (fs.Exists(state_file)) {
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, state_file));
    auto last = journal::ParseHeadJson(AsString(data));
    if (!last.ok()) return last.status().WithContext(state_file + " (the witness state is damaged)");
    result.previous_size = last->tree_size;
    if (last->public_key != head.public_key) {
      return FailedPrecondition("the head is signed by another key than the heads this witness cosigned for store " +
                                HexEncode(head.store_id) + "; not cosigned");
    }
    if (head.tree_size < last->tree_size) {
      return FailedPrecondition("rollback: this witness already cosigned tree size " + std::to_string(last->tree_size) +
                                " for this store; the head offered covers only " + std::to_string(head.tree_size) +
                                " (the primary was rolled back, or the head is stale); not cosigned");
    }
    if (head.tree_size == last->tree_size) {
      if (head.root != last->root) {
        return FailedPrecondition("fork: this witness cosigned another root at tree size " + std::to_string(head.tree_size) +
                                  " (the primary shows different histories); not cosigned");
      }
    } else {
      if (proof == nullptr) {
        return FailedPrecondition("a consistency proof from tree size " + std::to_string(last->tree_size) + " to " +
                                  std::to_string(head.tree_size) + " is needed: `ura proof consistency " +
                                  std::to_string(last->tree_size) + " --tree-size " + std::to_string(head.tree_size) +
                                  "` on the primary, then --proof FILE");
      }
      if (proof->store_id != HexEncode(head.store_id) || proof->old_size != last->tree_size ||
          proof->new_size != head.tree_size || proof->old_root != last->root || proof->new_root != head.root) {
        return FailedPrecondition("the consistency proof is not from the last cosigned head (size " +
                                  std::to_string(last->tree_size) + ") to this head (size " + std::to_string(head.tree_size) +
                                  "); not cosigned");
      }
      Status ok = journal::VerifyConsistency(proof->old_size, proof->new_size, proof->old_root, proof->new_root, proof->proof);
      if (!ok.ok()) {
        return FailedPrecondition("fork: the head does not extend the last cosigned one (" + ok.message() + "); not cosigned");
      }
    }
  }
  Cosignature& c = result.cosignature;
  c.head = head;
  c.witness = witness.public_key();
  c.cosigned_us = clock.NowMicros();
  c.signature = witness.Sign(CosignMessage(head));
  URA_RETURN_IF_ERROR(WriteFileAtomically(fs, state_file, AsBytes(journal::HeadToJson(head) + "\n")));
  return result;
}

namespace {

struct CosignatureFiles {
  std::vector<Cosignature> parsed;
  std::vector<std::string> unreadable;  // "FILE: what is wrong"
};

Result<CosignatureFiles> LoadCosignatures(FileSystem& fs, const std::string& dir) {
  CosignatureFiles out;
  if (!fs.Exists(dir)) return out;
  URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  for (const std::string& name : names) {
    if (name.size() < 5 || name.compare(name.size() - 5, 5, ".json") != 0) continue;
    const std::string path = JoinPath(dir, name);
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, path));
    auto c = ParseCosignature(AsString(data), path);
    if (c.ok()) {
      out.parsed.push_back(std::move(c).value());
    } else {
      out.unreadable.push_back(c.status().message());
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> WitnessesIn(FileSystem& fs, const std::string& dir, const journal::StoreMeta& meta) {
  URA_ASSIGN_OR_RETURN(CosignatureFiles files, LoadCosignatures(fs, dir));
  std::set<std::string> keys;
  for (const Cosignature& c : files.parsed) {
    if (c.head.store_id == meta.store_id) keys.insert(HexEncode(c.witness));
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

Result<std::vector<WitnessVerdict>> CheckWitnesses(FileSystem& fs, const std::string& dir,
                                                   const std::vector<std::string>& witness_keys,
                                                   const journal::StoreMeta& meta, const std::vector<HeadFrame>& heads) {
  std::map<uint64_t, crypto::Hash256> roots;
  uint64_t journal_size = 0;
  for (const HeadFrame& h : heads) {
    roots[h.tree_size] = h.root;
    journal_size = std::max(journal_size, h.tree_size);
  }
  URA_ASSIGN_OR_RETURN(CosignatureFiles files, LoadCosignatures(fs, dir));
  const std::vector<Cosignature>& all = files.parsed;
  std::vector<WitnessVerdict> verdicts;
  for (const std::string& problem : files.unreadable) {
    WitnessVerdict v;
    v.problem = problem;
    verdicts.push_back(std::move(v));
  }
  for (const std::string& key_hex : witness_keys) {
    WitnessVerdict v;
    v.witness = key_hex;
    auto key = HexDecode(key_hex);
    if (!key.ok() || key->size() != 32) return InvalidArgument("--witness " + key_hex + ": a witness public key is 64 hex digits");
    bool any = false;
    for (const Cosignature& c : all) {
      if (!std::equal(c.witness.begin(), c.witness.end(), key->begin())) continue;
      if (c.head.store_id != meta.store_id) continue;
      if (!VerifyCosignature(c).ok() || c.head.public_key != meta.signing_public_key) {
        v.problem = "a cosignature by this witness does not verify (altered or forged)";
        break;
      }
      if (c.head.tree_size > journal_size) {
        v.problem = "rollback: the witness cosigned tree size " + std::to_string(c.head.tree_size) +
                    " but the journal ends at " + std::to_string(journal_size);
        break;
      }
      auto it = roots.find(c.head.tree_size);
      if (it == roots.end() || it->second != c.head.root) {
        v.problem = "fork: the witness cosigned a head at tree size " + std::to_string(c.head.tree_size) +
                    " that is not in this journal's history (the primary showed it another history)";
        break;
      }
      any = true;
      if (c.head.tree_size > v.cosigned_size || (c.head.tree_size == v.cosigned_size && c.cosigned_us > v.cosigned_us)) {
        v.cosigned_size = c.head.tree_size;
        v.cosigned_us = c.cosigned_us;
      }
    }
    if (v.problem.empty() && !any) v.problem = "no cosignature by this witness for this store in " + dir;
    v.ok = v.problem.empty();
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

}  // namespace ura::recovery
