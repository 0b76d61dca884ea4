// libFuzzer target for the proof document codec (src/journal/proof_codec.h).
//
// Properties, checked on every input:
//   - parsing never crashes or throws, whatever the bytes;
//   - no input parses as both an inclusion and a consistency proof (the "type" field decides);
//   - a document that parses re-serialises to JSON that parses back to the same document and
//     serialises to the same bytes again (abort() otherwise);
//   - the verifier accepts any parsed document as input without crashing, whatever its sizes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "journal/merkle.h"
#include "journal/proof_codec.h"

namespace {

using ura::journal::ConsistencyProofDoc;
using ura::journal::InclusionProofDoc;

void CheckInclusion(const InclusionProofDoc& doc) {
  const std::string json = ura::journal::ToJson(doc);
  ura::Result<InclusionProofDoc> again = ura::journal::ParseInclusionProof(json);
  if (!again.ok() || !(*again == doc) || ura::journal::ToJson(*again) != json) std::abort();
  ura::journal::VerifyInclusion(doc.leaf_hash, doc.leaf_index, doc.tree_size, doc.audit_path,
                                doc.root_hash)
      .IgnoreError();  // any outcome is fine; only crashes are bugs here
}

void CheckConsistency(const ConsistencyProofDoc& doc) {
  const std::string json = ura::journal::ToJson(doc);
  ura::Result<ConsistencyProofDoc> again = ura::journal::ParseConsistencyProof(json);
  if (!again.ok() || !(*again == doc) || ura::journal::ToJson(*again) != json) std::abort();
  ura::journal::VerifyConsistency(doc.old_size, doc.new_size, doc.old_root, doc.new_root,
                                  doc.proof)
      .IgnoreError();  // any outcome is fine; only crashes are bugs here
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ura::Result<InclusionProofDoc> inclusion = ura::journal::ParseInclusionProof(input);
  ura::Result<ConsistencyProofDoc> consistency = ura::journal::ParseConsistencyProof(input);
  if (inclusion.ok() && consistency.ok()) std::abort();
  if (inclusion.ok()) CheckInclusion(*inclusion);
  if (consistency.ok()) CheckConsistency(*consistency);
  return 0;
}
