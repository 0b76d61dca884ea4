#include "journal/verify.h"

#include <deque>
#include <future>
#include <mutex>

#include "journal/entry_codec.h"
#include "journal/journal_reader.h"

namespace ura::journal {

namespace {

// A reusable read buffer: allocated once per thread of the pipeline and never zero-filled
// (zeroing a fresh 64 MiB buffer per segment cost more than reading it).
struct SegmentBuffer {
  std::unique_ptr<uint8_t[]> data;
  size_t capacity = 0;
  size_t size = 0;
  ByteView view() const { return ByteView(data.get(), size); }
};

class BufferPool {
 public:
  std::unique_ptr<SegmentBuffer> Take() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return std::make_unique<SegmentBuffer>();
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  void Give(std::unique_ptr<SegmentBuffer> b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<SegmentBuffer>> free_;
};

Status ReadInto(FileSystem& fs, const std::string& path, SegmentBuffer& buf) {
  URA_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(path));
  size_t size = file->Size();
  if (size > buf.capacity) {
    buf.data.reset(new uint8_t[size]);  // default-initialised: not zeroed
    buf.capacity = size;
  }
  URA_ASSIGN_OR_RETURN(size_t n, file->ReadAt(0, size, buf.data.get()));
  buf.size = n;
  return Status::Ok();
}

struct LoadedSegment {
  Status status;
  std::unique_ptr<SegmentBuffer> buffer;
  PreparedSegment prepared;
};

LoadedSegment Load(FileSystem& fs, BufferPool& pool, const std::string& path, const SegmentIdentity* prepare_for) {
  LoadedSegment s;
  s.buffer = pool.Take();
  s.status = ReadInto(fs, path, *s.buffer);
  if (s.status.ok() && prepare_for != nullptr) s.prepared = PrepareSegment(s.buffer->view(), *prepare_for);
  return s;
}

}  // namespace

Result<VerifyReport> VerifyJournal(FileSystem& fs, const StorePaths& paths, const StoreMeta& meta,
                                   const VerifyOptions& options) {
  VerifyReport report;
  auto fail = [&](Status s) {
    report.intact = false;
    report.problem = std::move(s);
    return report;
  };
  if (options.trusted_head) {
    const SignedHead& t = *options.trusted_head;
    if (t.store_id != meta.store_id) {
      return fail(Corruption("the trusted head belongs to store " + HexEncode(t.store_id) +
                                 ", not this store " + HexEncode(meta.store_id),
                             {paths.meta, std::nullopt, std::nullopt, "trusted-head-store"}));
    }
    if (t.public_key != meta.signing_public_key) {
      return fail(Corruption("the store's signing key differs from the trusted head's: store.json "
                             "was replaced",
                             {paths.meta, std::nullopt, std::nullopt, "trusted-head-key"}));
    }
    Status sig = VerifyHeadSignature(t);
    if (!sig.ok()) return Status(StatusCode::kInvalidArgument, "the trusted head's signature is invalid");
  }

  auto segments = ListSegments(fs, paths.journal_dir);
  if (!segments.ok()) return fail(segments.status());
  SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  std::unique_ptr<EntryCodec> codec;
  if (options.keyring) codec = std::make_unique<EntryCodec>(*options.keyring);

  ChainState state;
  std::optional<crypto::Hash256> trusted_root_seen;
  const uint64_t trusted_size = options.trusted_head ? options.trusted_head->tree_size : 0;
  // The trusted head's root is checked when the tree passes its size, inside the scan.
  Status trusted_mismatch;
  auto on_entry = [&](const ScannedFrame& f) -> Status {
    if (codec) {
      auto e = codec->Decode(f.header, f.bytes);
      if (!e.ok()) {
        return Corruption(e.status().message(),
                          {"", f.offset, f.header.sequence, "entry-authentication"});
      }
      ++report.entries_decrypted;
    }
    return Status::Ok();
  };
  auto check_trusted = [&]() {
    if (options.trusted_head && !trusted_root_seen && state.frontier.size() == trusted_size) {
      trusted_root_seen = state.frontier.Root();
    }
  };

  // With several threads, other threads read and prepare (leaf hashes, subtree roots, head
  // signatures) up to `threads` segments ahead of the one being validated. With one, the
  // single pass of ValidateSegment does everything.
  const bool parallel = options.threads > 1;
  const size_t lookahead = parallel ? static_cast<size_t>(options.threads) : 1;
  BufferPool pool;
  std::deque<std::future<LoadedSegment>> ahead;
  size_t next_to_load = 0;
  const SegmentIdentity* prepare_for = parallel ? &id : nullptr;
  auto refill = [&]() {
    while (ahead.size() < lookahead && next_to_load < segments->size()) {
      const std::string path = (*segments)[next_to_load++].path;
      ahead.push_back(std::async(parallel ? std::launch::async : std::launch::deferred,
                                 [&fs, &pool, path, prepare_for] { return Load(fs, pool, path, prepare_for); }));
    }
  };
  check_trusted();  // trusted size 0
  for (size_t i = 0; i < segments->size(); ++i) {
    const SegmentFile& seg = (*segments)[i];
    refill();
    LoadedSegment loaded = ahead.front().get();
    ahead.pop_front();
    refill();
    if (!loaded.status.ok()) return loaded.status;
    ByteView data = loaded.buffer->view();
    report.bytes += data.size();
    ++report.segments;
    // Check the trusted root at the exact moment the tree reaches its size.
    auto on_frame = [&](const ScannedFrame& f) -> Status {
      check_trusted();
      Status s = on_entry(f);
      if (!s.ok() && s.corruption()) {
        CorruptionLocation where = *s.corruption();
        where.file = seg.path;
        return Corruption(seg.path + ": " + s.message(), where);
      }
      return s;
    };
    auto v = ValidateSegment(data, seg.path, seg.index, id, state, on_frame,
                             parallel ? &loaded.prepared : nullptr);
    pool.Give(std::move(loaded.buffer));
    check_trusted();
    if (!v.ok()) return fail(v.status());
    bool last = i + 1 == segments->size();
    if (!last && (v->scan.end != ScanEnd::kClean || v->committed_end != v->file_size)) {
      return fail(Corruption(seg.path + ": sealed segment ends with unsigned or partial data at byte " +
                                 std::to_string(v->committed_end),
                             {seg.path, v->committed_end, state.committed_size, "sealed-tail"}));
    }
    if (last && v->committed_end != v->file_size) {
      report.torn_tail = TornTail{seg.path, v->committed_end, v->file_size - v->committed_end,
                                  v->uncommitted_entries,
                                  v->scan.end == ScanEnd::kClean ? ScanEnd::kTruncated : v->scan.end};
    }
  }
  report.tree_size = state.committed_size;
  report.root = state.committed_root;
  report.head_timestamp_us = state.last_head_timestamp_us;
  report.heads_checked = state.heads_checked;
  if (state.heads_checked == 0) {
    return fail(Corruption("the journal has no signed head", {paths.journal_dir, std::nullopt, 0, "head-missing"}));
  }
  if (options.trusted_head) {
    const SignedHead& t = *options.trusted_head;
    if (t.tree_size > state.committed_size) {
      return fail(Corruption("rollback: the trusted head covers " + std::to_string(t.tree_size) +
                                 " entries but the journal's latest signed head covers only " +
                                 std::to_string(state.committed_size) +
                                 " (the store was replaced by an older copy or truncated)",
                             {paths.journal_dir, std::nullopt, state.committed_size, "rollback"}));
    }
    if (!trusted_root_seen || *trusted_root_seen != t.root) {
      return fail(Corruption("fork: the journal's first " + std::to_string(t.tree_size) +
                                 " entries do not have the trusted head's root (history was rewritten)",
                             {paths.journal_dir, std::nullopt, 0, "fork"}));
    }
    if (t.timestamp_us > state.last_head_timestamp_us) {
      return fail(Corruption("rollback: the trusted head is newer than the journal's latest head",
                             {paths.journal_dir, std::nullopt, state.committed_size, "rollback"}));
    }
    report.trusted_head_checked = true;
  }
  report.intact = true;
  return report;
}

}  // namespace ura::journal
