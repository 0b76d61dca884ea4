#include "recovery/restore.h"

#include <unistd.h>

#include <ctime>
#include <filesystem>

#include "crypto/sha256.h"
#include "journal/journal_reader.h"
#include "journal/segment_scan.h"
#include "journal/verify.h"
#include "recovery/backup.h"

namespace ura::recovery {

namespace {

// Writes the file `f` to the new file `to` from its chunk objects in `target`, checking each
// chunk's SHA-256 and the whole file's; kDataLoss naming the object otherwise.
Status CopyChecked(FileSystem& fs, const std::string& target, const std::string& to, const ManifestFile& f,
                   uint64_t* copied) {
  URA_ASSIGN_OR_RETURN(auto out, fs.OpenWritable(to, OpenMode::kCreateNew));
  crypto::Sha256Hasher whole;
  Bytes buf;
  for (const ManifestChunk& c : f.chunks) {
    const std::string from = ObjectPath(target, c.sha256);
    URA_ASSIGN_OR_RETURN(auto in, fs.OpenReadable(from));
    if (in->Size() != c.size) {
      return Corruption(from + ": " + std::to_string(in->Size()) + " bytes where the manifest says " +
                            std::to_string(c.size) + " (" + f.path + "): the backup copy was altered; run `ura backup --check`",
                        {from, std::min(in->Size(), c.size), std::nullopt, "object-size"});
    }
    buf.resize(c.size);
    URA_ASSIGN_OR_RETURN(size_t got, in->ReadAt(0, c.size, buf.data()));
    if (got != c.size || crypto::Sha256(buf) != c.sha256) {
      return Corruption(from + ": content does not match its SHA-256 (" + f.path +
                            "): the backup copy was altered or damaged; run `ura backup --check`, restore from another copy",
                        {from, std::nullopt, std::nullopt, "object-hash"});
    }
    whole.Update(buf);
    URA_RETURN_IF_ERROR(out->Append(buf));
  }
  if (whole.Final() != f.sha256) {
    return Corruption(to + ": the chunks do not make up the file the manifest names (" + f.path + ")",
                      {to, std::nullopt, std::nullopt, "object-hash"});
  }
  URA_RETURN_IF_ERROR(out->Sync());
  *copied += f.size;
  return Status::Ok();
}

Bytes HeadFrameBytes(const journal::SignedHead& head) {
  Bytes frame(journal::kFrameHeaderSize);
  AppendBytes(frame, head.root);
  AppendBytes(frame, head.signature);
  journal::FrameHeader h;
  h.kind = journal::FrameKind::kHead;
  h.key_id = head.key_id;
  h.sequence = head.tree_size;
  h.timestamp_us = head.timestamp_us;
  h.body_len = journal::kHeadBodySize;
  h.body_checksum = journal::Checksum32(ByteView(frame).subspan(journal::kFrameHeaderSize));
  journal::EncodeFrameHeader(h, frame.data());
  return frame;
}

}  // namespace

Result<int64_t> ParseRfc3339(const std::string& text) {
  int y, mo, d, h, mi, s;
  char rest[64] = {0};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%63s", &y, &mo, &d, &h, &mi, &s, rest) < 6) {
    return InvalidArgument("'" + text + "' is not an RFC 3339 UTC time such as 2026-11-29T10:00:00Z");
  }
  std::string tail = rest;
  int64_t micros = 0;
  if (!tail.empty() && tail[0] == '.') {
    size_t i = 1;
    int64_t scale = 100000;
    for (; i < tail.size() && std::isdigit(static_cast<unsigned char>(tail[i])); ++i) {
      micros += (tail[i] - '0') * scale;
      scale /= 10;
    }
    tail = tail.substr(i);
  }
  if (tail != "Z") return InvalidArgument("'" + text + "': give the time in UTC, ending in Z (2026-11-29T10:00:00Z)");
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(::timegm(&tm)) * 1000000 + micros;
}

Result<CutResult> CutJournal(FileSystem& fs, const std::string& store_dir, uint64_t tree_size,
                             const journal::KeySecret* secret) {
  journal::StorePaths paths(store_dir);
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs, paths));
  URA_ASSIGN_OR_RETURN(auto segments, journal::ListSegments(fs, paths.journal_dir));
  // The segment that holds the cut: the last one starting before entry N (segment 0 for N = 0).
  size_t keep = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    URA_ASSIGN_OR_RETURN(auto file, fs.OpenReadable(segments[i].path));
    Bytes head(std::min<uint64_t>(file->Size(), journal::kSegmentFixedHeaderSize));
    URA_ASSIGN_OR_RETURN(size_t n, file->ReadAt(0, head.size(), head.data()));
    if (n < journal::kSegmentFixedHeaderSize) {
      return Corruption(segments[i].path + ": shorter than a segment header", {segments[i].path, n, std::nullopt, "segment-header"});
    }
    uint64_t first = GetU64(head.data() + 24);
    if (i == 0 || first < tree_size) keep = i;
  }
  const journal::SegmentFile& seg = segments[keep];
  URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, seg.path));
  size_t header_len = 0;
  URA_ASSIGN_OR_RETURN(journal::SegmentHeader header, journal::DecodeSegmentHeader(data, &header_len));
  URA_ASSIGN_OR_RETURN(journal::ChainState state, journal::ChainStateFromHeader(header));
  uint64_t cut = header_len;
  bool head_at_size = false;
  int64_t last_head_ts = header.prev_head_timestamp_us;
  int64_t last_entry_ts = header.prev_head_timestamp_us;
  journal::MerkleFrontier frontier = state.frontier;
  auto scan = journal::ScanFrames(data, header_len, [&](const journal::ScannedFrame& f) -> Status {
    if (f.header.kind == journal::FrameKind::kEntry) {
      if (f.header.sequence >= tree_size) return AlreadyExists("cut");  // stops the scan here
      frontier.Append(crypto::MerkleLeafHash(f.bytes));
      last_entry_ts = std::max(last_entry_ts, f.header.timestamp_us);
      head_at_size = false;
    } else {
      if (f.header.sequence > tree_size) return AlreadyExists("cut");
      head_at_size = f.header.sequence == tree_size;
      last_head_ts = f.header.timestamp_us;
    }
    cut = f.offset + f.bytes.size();
    return Status::Ok();
  });
  if (!scan.ok() && scan.status().code() != StatusCode::kAlreadyExists) return scan.status();
  if (frontier.size() != tree_size) {
    return InvalidArgument("the journal holds only " + std::to_string(frontier.size()) + " entries; cannot restore to tree size " +
                           std::to_string(tree_size));
  }
  CutResult result;
  result.root = frontier.Root();
  Bytes kept(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(cut));
  if (!head_at_size) {
    // Between two signed heads: sign one for exactly N entries with the store's own key.
    if (secret == nullptr) {
      return FailedPrecondition("tree size " + std::to_string(tree_size) +
                                " is not at a signed head; restoring to it signs a new head, which needs the store's "
                                "passphrase or key file");
    }
    URA_ASSIGN_OR_RETURN(auto keyring, journal::Keyring::Unlock(fs, paths, *secret));
    journal::SignedHead head;
    head.store_id = meta.store_id;
    head.tree_size = tree_size;
    head.root = result.root;
    // After every kept entry and head: a head's time only ever increases in the journal.
    head.timestamp_us = std::max(last_entry_ts, last_head_ts + 1);
    head.key_id = meta.signing_key_id;
    head.public_key = meta.signing_public_key;
    head.signature = keyring->signer().Sign(head.Message());
    AppendBytes(kept, HeadFrameBytes(head));
    result.signed_new_head = true;
  }
  // The staging copy is ours: later segments go, the cut one is rewritten.
  for (size_t i = segments.size(); i-- > keep + 1;) URA_RETURN_IF_ERROR(fs.Remove(segments[i].path));
  if (kept.size() != data.size() || result.signed_new_head) {
    URA_RETURN_IF_ERROR(fs.Remove(seg.path));
    URA_RETURN_IF_ERROR(WriteFileAtomically(fs, seg.path, kept));
  }
  URA_RETURN_IF_ERROR(fs.SyncDir(paths.journal_dir));
  return result;
}

Result<RestoreReport> RestoreJournal(FileSystem& fs, const std::string& target, const std::string& to_dir,
                                     const RestoreOptions& options) {
  if (options.tree_size && options.before_us) return InvalidArgument("give --tree-size or --before, not both");
  if (fs.Exists(to_dir)) {
    URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(to_dir));
    if (!names.empty()) return AlreadyExists(to_dir + " is not empty; restore into a new or empty directory (nothing was changed)");
  }
  if (!fs.Exists(JoinPath(target, "manifests"))) {
    return NotFound("no Ura backup at " + target + " (no manifests directory); give the directory `ura backup` wrote to");
  }
  std::vector<BackupProblem> problems;
  URA_ASSIGN_OR_RETURN(auto loaded, LoadManifests(fs, target, &problems));
  if (loaded.empty()) {
    std::string why = problems.empty() ? "it holds no manifest" : problems.front().file + ": " + problems.front().message;
    return Corruption("no valid backup in " + target + ": " + why, {target, std::nullopt, std::nullopt, "manifest"});
  }
  for (const BackupProblem& p : problems) {
    if (ParseManifestFileName(p.file.substr(p.file.find_last_of('/') + 1)).value_or(0) > loaded.back().manifest.run) {
      return Corruption("the latest manifest " + p.file + " is damaged (" + p.message +
                            "); refusing to restore an older run silently: run `ura backup --check`",
                        {p.file, std::nullopt, std::nullopt, "manifest"});
    }
  }
  const Manifest& m = loaded.back().manifest;
  RestoreReport report;
  report.run = m.run;
  report.backup_tree_size = m.head.tree_size;
  if (options.trusted_head) {
    const journal::SignedHead& t = *options.trusted_head;
    if (!journal::VerifyHeadSignature(t).ok()) return InvalidArgument("the trusted head's signature is invalid");
    if (t.store_id != m.store_id) {
      return FailedPrecondition("forged or foreign backup: it is of store " + HexEncode(m.store_id) +
                                ", the trusted head of store " + HexEncode(t.store_id) + " (nothing was restored)");
    }
    if (t.public_key != m.public_key || t.public_key != m.head.public_key) {
      return FailedPrecondition("forged backup: its manifest and heads are signed by another key than the trusted head's "
                                "(nothing was restored)");
    }
    if (m.head.tree_size < t.tree_size) {
      return FailedPrecondition("rollback: the newest backup (run " + std::to_string(m.run) + ") holds " +
                                std::to_string(m.head.tree_size) + " entries but the trusted head covers " +
                                std::to_string(t.tree_size) + "; restoring it would lose entries the trusted head "
                                "vouches for (nothing was restored)");
    }
    uint64_t wanted = options.tree_size.value_or(m.head.tree_size);
    if (wanted < t.tree_size) {
      return FailedPrecondition("rollback: tree size " + std::to_string(wanted) + " is before the trusted head's " +
                                std::to_string(t.tree_size) + " (nothing was restored); restore to at least that size");
    }
  }
  if (options.tree_size && *options.tree_size > m.head.tree_size) {
    return InvalidArgument("the newest backup (run " + std::to_string(m.run) + ") holds " + std::to_string(m.head.tree_size) +
                           " entries; cannot restore to tree size " + std::to_string(*options.tree_size));
  }

  // Stage beside DIR, so the final rename stays on one file system.
  std::string clean = to_dir;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  const std::string staging = clean + ".restoring-" + std::to_string(::getpid());
  if (fs.Exists(staging)) return AlreadyExists(staging + " exists (left by an interrupted restore?); remove it first");
  auto discard = [&](Status s) {
    std::error_code ignored;
    std::filesystem::remove_all(staging, ignored);  // only our own staging copy
    return s;
  };
  Status made = fs.CreateDir(staging);
  if (made.ok()) made = fs.CreateDir(JoinPath(staging, "keys"));
  if (made.ok()) made = fs.CreateDir(JoinPath(staging, "journal"));
  if (!made.ok()) return discard(made);
  for (const ManifestFile& f : m.files) {
    Status s = CopyChecked(fs, target, JoinPath(staging, f.path), f, &report.bytes_copied);
    if (!s.ok()) return discard(s);
    ++report.files;
  }
  Status synced = fs.SyncDir(JoinPath(staging, "journal"));
  if (synced.ok()) synced = fs.SyncDir(JoinPath(staging, "keys"));
  if (!synced.ok()) return discard(synced);

  journal::StorePaths paths(staging);
  auto meta = journal::LoadStoreMeta(fs, paths);
  if (!meta.ok()) return discard(meta.status().WithContext("the backup's store.json"));
  if (meta->store_id != m.store_id || meta->signing_public_key != m.public_key) {
    return discard(FailedPrecondition("forged backup: its store.json names another store or key than its signed manifest"));
  }
  journal::VerifyOptions vo;
  vo.trusted_head = options.trusted_head;
  vo.threads = options.threads;
  auto verified = journal::VerifyJournal(fs, paths, *meta, vo);
  if (!verified.ok()) return discard(verified.status());
  if (!verified->intact) {
    return discard(verified->problem.WithContext("the backup's journal does not verify (nothing was restored)"));
  }
  if (verified->tree_size != m.head.tree_size || verified->root != m.head.root) {
    return discard(Corruption("the backup's journal ends at tree size " + std::to_string(verified->tree_size) +
                                  ", not at its manifest's signed head " + std::to_string(m.head.tree_size),
                              {loaded.back().path, std::nullopt, std::nullopt, "manifest-head"}));
  }
  report.trusted_head_checked = verified->trusted_head_checked;
  if (options.secret) {
    // A wrong passphrase is found now, while DIR is still untouched.
    auto keyring = journal::Keyring::Unlock(fs, paths, *options.secret);
    if (!keyring.ok()) return discard(keyring.status().WithContext("unlocking the restored keyring"));
  }
  uint64_t size = m.head.tree_size;
  if (options.tree_size) size = *options.tree_size;
  if (options.before_us) {
    auto heads = ListHeadFrames(fs, paths.journal_dir);
    if (!heads.ok()) return discard(heads.status());
    std::optional<uint64_t> found;
    for (const HeadFrame& h : *heads) {
      if (h.timestamp_us < *options.before_us) found = h.tree_size;
    }
    if (!found) return discard(InvalidArgument("the backup holds no signed head before " + FormatRfc3339(*options.before_us)));
    size = *found;
    if (options.trusted_head && size < options.trusted_head->tree_size) {
      return discard(FailedPrecondition("rollback: the last head before that time has tree size " + std::to_string(size) +
                                        ", before the trusted head's " + std::to_string(options.trusted_head->tree_size) +
                                        " (nothing was restored)"));
    }
  }
  report.tree_size = size;
  report.root = verified->root;
  if (size != m.head.tree_size) {
    auto cut = CutJournal(fs, staging, size, options.secret);
    if (!cut.ok()) return discard(cut.status());
    report.root = cut->root;
    report.signed_new_head = cut->signed_new_head;
    auto again = journal::VerifyJournal(fs, paths, *meta, vo);
    if (!again.ok()) return discard(again.status());
    if (!again->intact || again->tree_size != size || again->root != cut->root) {
      return discard(Internal("the journal cut at " + std::to_string(size) + " does not verify: " + again->problem.message()));
    }
  }
  Status renamed = fs.Rename(staging, clean);
  if (!renamed.ok()) return discard(renamed.WithContext("moving the restored store into place"));
  URA_RETURN_IF_ERROR(fs.SyncDir(DirName(clean)));
  return report;
}

}  // namespace ura::recovery
