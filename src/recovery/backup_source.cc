#include "recovery/backup_source.h"

#include "journal/journal_reader.h"

namespace ura::recovery {

Result<SourceSnapshot> LocalStoreSource::Snapshot() {
  SourceSnapshot snap;
  URA_ASSIGN_OR_RETURN(snap.meta, journal::LoadStoreMeta(fs_, paths_));
  URA_ASSIGN_OR_RETURN(auto meta_file, fs_.OpenReadable(paths_.meta));
  snap.files.push_back({"store.json", meta_file->Size(), false, false});
  // The key material exactly as it is on disk: wrapped by the key-encryption key.
  URA_ASSIGN_OR_RETURN(auto key_names, fs_.ListDir(paths_.keys_dir));
  for (const std::string& name : key_names) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) continue;  // unfinished write
    URA_ASSIGN_OR_RETURN(auto f, fs_.OpenReadable(JoinPath(paths_.keys_dir, name)));
    snap.files.push_back({"keys/" + name, f->Size(), false, false});
  }
  URA_ASSIGN_OR_RETURN(auto segments, journal::ListSegments(fs_, paths_.journal_dir));
  // The last segment is read once, validated alone from its header, and listed up to the end
  // of its latest signed head: a writer appending meanwhile never gets half a batch copied.
  const journal::SegmentFile& last = segments.back();
  URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs_, last.path));
  size_t header_len = 0;
  auto header = journal::DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) {
    return Corruption(last.path + ": " + header.status().message() + " (run `ura verify`)",
                      {last.path, std::nullopt, std::nullopt, "segment-header"});
  }
  URA_ASSIGN_OR_RETURN(journal::ChainState state, journal::ChainStateFromHeader(*header));
  journal::SegmentIdentity id{snap.meta.store_id, snap.meta.signing_public_key, snap.meta.signing_key_id};
  auto v = journal::ValidateSegment(data, last.path, last.index, id, state);
  if (!v.ok()) return v.status().WithContext("the primary's journal is damaged (run `ura verify`)");
  if (state.heads_checked == 0) {
    return Corruption(last.path + ": the last segment has no signed head",
                      {last.path, header_len, state.committed_size, "head-missing"});
  }
  const uint64_t head_end = v->committed_end;
  journal::HeaderProblem problem;
  journal::FrameHeader h = journal::DecodeFrameHeader(
      data.data() + head_end - journal::kFrameHeaderSize - journal::kHeadBodySize, &problem);
  snap.head.store_id = snap.meta.store_id;
  snap.head.public_key = snap.meta.signing_public_key;
  snap.head.tree_size = h.sequence;
  snap.head.timestamp_us = h.timestamp_us;
  snap.head.key_id = h.key_id;
  const uint8_t* body = data.data() + head_end - journal::kHeadBodySize;
  std::copy_n(body, 32, snap.head.root.begin());
  std::copy_n(body + 32, 64, snap.head.signature.begin());
  for (const journal::SegmentFile& seg : segments) {
    std::string rel = "journal/" + journal::SegmentFileName(seg.index);
    if (seg.index == last.index) {
      snap.files.push_back({rel, head_end, true, false});
    } else {
      URA_ASSIGN_OR_RETURN(auto f, fs_.OpenReadable(seg.path));
      snap.files.push_back({rel, f->Size(), true, true});
    }
  }
  return snap;
}

Result<std::unique_ptr<ReadableFile>> LocalStoreSource::Open(const SourceFile& file) {
  return fs_.OpenReadable(JoinPath(paths_.dir, file.path));
}

}  // namespace ura::recovery
