#include "journal/journal_reader.h"

#include <algorithm>

namespace ura::journal {

Result<std::vector<SegmentFile>> ListSegments(FileSystem& fs, const std::string& journal_dir) {
  if (!fs.Exists(journal_dir)) {
    return Corruption("the journal directory " + journal_dir + " is missing",
                      {journal_dir, std::nullopt, 0, "segment-missing"});
  }
  URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(journal_dir));
  std::vector<SegmentFile> segments;
  for (const auto& name : names) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) continue;  // unfinished
    auto index = ParseSegmentFileName(name);
    if (!index) {
      return Corruption("unexpected file " + name + " in the journal directory",
                        {JoinPath(journal_dir, name), std::nullopt, std::nullopt, "stray-file"});
    }
    segments.push_back({*index, JoinPath(journal_dir, name)});
  }
  if (segments.empty()) {
    return Corruption("the journal has no segments", {journal_dir, std::nullopt, 0, "segment-missing"});
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].index != i) {
      return Corruption("segment " + std::to_string(i) + " is missing (next is " +
                            SegmentFileName(segments[i].index) + ")",
                        {segments[i].path, std::nullopt, std::nullopt, "segment-missing"});
    }
  }
  return segments;
}

Result<ChainState> ChainStateFromHeader(const SegmentHeader& header) {
  ChainState state;
  auto frontier = MerkleFrontier::FromHashes(header.first_sequence, header.frontier);
  if (!frontier.ok()) return frontier.status();
  state.frontier = std::move(frontier).value();
  state.committed_size = header.first_sequence;
  state.committed_root = state.frontier.Root();
  state.last_head_timestamp_us = header.prev_head_timestamp_us;
  return state;
}

namespace {

Result<ChainState> StateForSegment(ByteView data, const std::string& path, uint64_t seq_hint) {
  size_t header_len = 0;
  auto header = DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) {
    return Corruption(path + ": " + header.status().message(),
                      {path, header.status().corruption()->offset, seq_hint, "segment-header"});
  }
  return ChainStateFromHeader(*header);
}

}  // namespace

Result<SignedHead> ReadLatestHead(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta) {
  URA_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, paths.journal_dir));
  const SegmentFile& last = segments.back();
  URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, last.path));
  URA_ASSIGN_OR_RETURN(ChainState state, StateForSegment(data, last.path, 0));
  SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  URA_ASSIGN_OR_RETURN(SegmentValidation v, ValidateSegment(data, last.path, last.index, id, state));
  if (state.heads_checked == 0) {
    return Corruption(last.path + ": segment has no signed head",
                      {last.path, v.header_len, state.committed_size, "head-missing"});
  }
  // Re-read the last valid head frame: it ends at committed_end.
  SignedHead head;
  head.store_id = meta.store_id;
  head.public_key = meta.signing_public_key;
  uint64_t start = v.committed_end - kFrameHeaderSize - kHeadBodySize;
  HeaderProblem problem;
  FrameHeader h = DecodeFrameHeader(data.data() + start, &problem);
  head.tree_size = h.sequence;
  head.timestamp_us = h.timestamp_us;
  head.key_id = h.key_id;
  std::copy_n(data.data() + start + kFrameHeaderSize, 32, head.root.begin());
  std::copy_n(data.data() + start + kFrameHeaderSize + 32, 64, head.signature.begin());
  return head;
}

namespace {

// Entries with from <= sequence < to (to = 0: up to the latest head), and only those in
// `only` (sorted) unless it is null. Segments holding nothing wanted are not read.
Status ReadEntriesWhere(FileSystem& fs, const StorePaths& paths, const Keyring& keyring, uint64_t from, uint64_t to,
                        const std::vector<uint64_t>* only,
                        const std::function<Status(const DecodedEntry&)>& on_entry,
                        const std::vector<uint32_t>* types = nullptr) {
  URA_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, paths.journal_dir));
  const StoreMeta& meta = keyring.meta();
  SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  EntryCodec codec(keyring);
  bool chained = false;  // `state` carries over from the previous segment
  ChainState state;
  size_t next_wanted = 0;  // index into *only
  for (size_t i = 0; i < segments.size(); ++i) {
    if (only != nullptr && next_wanted >= only->size()) break;
    // Skip whole segments holding nothing wanted, using the next segment's first sequence.
    if (i + 1 < segments.size()) {
      URA_ASSIGN_OR_RETURN(auto next_file, fs.OpenReadable(segments[i + 1].path));
      uint8_t fixed[kSegmentFixedHeaderSize];
      URA_ASSIGN_OR_RETURN(size_t n, next_file->ReadAt(0, sizeof fixed, fixed));
      if (n == sizeof fixed) {
        const uint64_t next_first = GetU64(fixed + 24);
        const bool nothing_wanted = next_first <= from || (only != nullptr && (*only)[next_wanted] >= next_first);
        if (nothing_wanted) {
          chained = false;
          continue;
        }
      }
    }
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, segments[i].path));
    if (!chained) {
      URA_ASSIGN_OR_RETURN(state, StateForSegment(data, segments[i].path, 0));
      chained = true;
    }
    std::vector<std::pair<FrameHeader, ByteView>> pending;  // entries not yet covered by a head
    bool stop = false;
    auto on_frame = [&](const ScannedFrame& f) -> Status {
      pending.emplace_back(f.header, f.bytes);
      return Status::Ok();
    };
    URA_RETURN_IF_ERROR(
        ValidateSegment(data, segments[i].path, segments[i].index, id, state, on_frame).status());
    // Only entries covered by a signed head are returned.
    for (const auto& [header, bytes] : pending) {
      if (header.sequence >= state.committed_size) break;
      if (to != 0 && header.sequence >= to) {
        stop = true;
        break;
      }
      if (header.sequence < from) continue;
      if (only != nullptr) {
        while (next_wanted < only->size() && (*only)[next_wanted] < header.sequence) ++next_wanted;
        if (next_wanted >= only->size()) {
          stop = true;
          break;
        }
        if ((*only)[next_wanted] != header.sequence) continue;
        ++next_wanted;
      }
      if (types != nullptr && std::find(types->begin(), types->end(), header.entry_type) == types->end()) continue;
      URA_ASSIGN_OR_RETURN(DecodedEntry e, codec.Decode(header, bytes));
      URA_RETURN_IF_ERROR(on_entry(e));
    }
    if (stop) break;
  }
  return Status::Ok();
}

}  // namespace

Status ReadEntries(FileSystem& fs, const StorePaths& paths, const Keyring& keyring, uint64_t from,
                   uint64_t to, const std::function<Status(const DecodedEntry&)>& on_entry) {
  return ReadEntriesWhere(fs, paths, keyring, from, to, nullptr, on_entry);
}

Status ReadEntriesOfTypes(FileSystem& fs, const StorePaths& paths, const Keyring& keyring,
                          const std::vector<uint32_t>& types,
                          const std::function<Status(const DecodedEntry&)>& on_entry) {
  return ReadEntriesWhere(fs, paths, keyring, 0, 0, nullptr, on_entry, &types);
}

Status ReadEntriesAt(FileSystem& fs, const StorePaths& paths, const Keyring& keyring,
                     std::vector<uint64_t> sequences, const std::function<Status(const DecodedEntry&)>& on_entry) {
  std::sort(sequences.begin(), sequences.end());
  sequences.erase(std::unique(sequences.begin(), sequences.end()), sequences.end());
  if (sequences.empty()) return Status::Ok();
  return ReadEntriesWhere(fs, paths, keyring, sequences.front(), sequences.back() + 1, &sequences, on_entry);
}

}  // namespace ura::journal

namespace ura::journal {

Result<MerkleTree> BuildMerkleTree(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta) {
  URA_ASSIGN_OR_RETURN(auto segments, ListSegments(fs, paths.journal_dir));
  SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  ChainState state;
  MerkleTree tree;
  for (const SegmentFile& seg : segments) {
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, seg.path));
    PreparedSegment prepared = PrepareSegment(data, id);
    uint64_t first = state.frontier.size();
    URA_RETURN_IF_ERROR(ValidateSegment(data, seg.path, seg.index, id, state, {}, &prepared).status());
    for (uint64_t seq = first; seq < state.committed_size; ++seq) tree.Append(prepared.leaves[seq - first]);
  }
  return tree;
}

}  // namespace ura::journal
