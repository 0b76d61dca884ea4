#include "recovery/backup.h"

#include <unistd.h>

#include <map>
#include <set>

#include "crypto/secret.h"
#include "crypto/sha256.h"
#include "journal/journal_reader.h"
#include "journal/segment_scan.h"
#include "journal/verify.h"

namespace ura::recovery {

namespace {

constexpr size_t kChunk = 4u << 20;

bool IsTempName(const std::string& name) { return name.find(".tmp-") != std::string::npos; }

std::string TempName(const std::string& final_path) {
  return final_path + ".tmp-" + std::to_string(::getpid()) + "-" + HexEncode(crypto::RandomBytes(4));
}

// Reads `size` bytes of `file` from its start.
Result<Bytes> ReadPrefix(ReadableFile& file, uint64_t size) {
  Bytes data(size);
  uint64_t done = 0;
  while (done < size) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, size - done));
    URA_ASSIGN_OR_RETURN(size_t got, file.ReadAt(done, n, data.data() + done));
    if (got == 0) {
      return Corruption(file.path() + ": ends at byte " + std::to_string(done) + ", expected " + std::to_string(size),
                        {file.path(), done, std::nullopt, "short-file"});
    }
    done += got;
  }
  return data;
}

// Writes `data` to `path`, which must not exist: a temporary name, fsync, rename only if the
// final name is still free, fsync of the directory. Never replaces an existing file.
Status WriteNewFile(FileSystem& fs, const std::string& path, ByteView data) {
  if (fs.Exists(path)) return AlreadyExists(path + " exists already; backup files are never overwritten");
  const std::string tmp = TempName(path);
  {
    URA_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(tmp, OpenMode::kCreateNew));
    for (size_t off = 0; off < data.size(); off += kChunk) {
      URA_RETURN_IF_ERROR(file->Append(data.subspan(off, std::min(kChunk, data.size() - off))));
    }
    URA_RETURN_IF_ERROR(file->Sync());
  }
  // The target lock keeps other Ura runs out between this check and the rename.
  if (fs.Exists(path)) return AlreadyExists(path + " appeared during the run; backup files are never overwritten");
  URA_RETURN_IF_ERROR(fs.Rename(tmp, path));
  URA_RETURN_IF_ERROR(fs.SyncDir(DirName(path)));
  fs.MakeReadOnly(path).IgnoreError();  // a courtesy against mistakes; the hashes guard
  return Status::Ok();
}

Status ValidateSegmentAlone(ByteView data, const std::string& name, const journal::StoreMeta& meta, bool sealed) {
  auto index = journal::ParseSegmentFileName(name.substr(name.find_last_of('/') + 1));
  if (!index) return InvalidArgument(name + ": not a segment file name");
  size_t header_len = 0;
  auto header = journal::DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) {
    return Corruption(name + ": " + header.status().message(), {name, std::nullopt, std::nullopt, "segment-header"});
  }
  URA_ASSIGN_OR_RETURN(journal::ChainState state, journal::ChainStateFromHeader(*header));
  journal::SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  URA_ASSIGN_OR_RETURN(journal::SegmentValidation v, journal::ValidateSegment(data, name, *index, id, state));
  if (v.scan.end != journal::ScanEnd::kClean || v.committed_end != data.size()) {
    return Corruption(name + ": " + (sealed ? "sealed segment" : "segment") + " has unsigned or unparsable bytes at " +
                          std::to_string(v.committed_end),
                      {name, v.committed_end, state.committed_size, "segment-tail"});
  }
  return Status::Ok();
}

}  // namespace

std::string ObjectPath(const std::string& target, const crypto::Hash256& sha256) {
  return JoinPath(JoinPath(target, "objects"), HexEncode(sha256));
}

std::optional<uint64_t> LocateSegmentDamage(ByteView data, uint64_t segment_index, const journal::StoreMeta& meta) {
  size_t header_len = 0;
  auto header = journal::DecodeSegmentHeader(data, &header_len);
  if (!header.ok()) {
    if (header.status().corruption() && header.status().corruption()->offset) return header.status().corruption()->offset;
    return 0;
  }
  auto state = journal::ChainStateFromHeader(*header);
  if (!state.ok()) return 0;
  journal::SegmentIdentity id{meta.store_id, meta.signing_public_key, meta.signing_key_id};
  auto v = journal::ValidateSegment(data, "", segment_index, id, *state);
  if (!v.ok()) {
    if (v.status().corruption() && v.status().corruption()->offset) return v.status().corruption()->offset;
    return std::nullopt;
  }
  if (v->scan.end != journal::ScanEnd::kClean || v->committed_end != data.size()) return v->committed_end;
  return std::nullopt;
}

Result<std::vector<LoadedManifest>> LoadManifests(FileSystem& fs, const std::string& target,
                                                  std::vector<BackupProblem>* problems) {
  const std::string dir = JoinPath(target, "manifests");
  std::vector<LoadedManifest> out;
  if (!fs.Exists(dir)) return out;
  URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  for (const std::string& name : names) {
    const std::string path = JoinPath(dir, name);
    if (IsTempName(name)) continue;
    auto run = ParseManifestFileName(name);
    if (!run) {
      if (problems) problems->push_back({path, std::nullopt, "unexpected file in the manifests directory"});
      continue;
    }
    auto data = ReadWholeFile(fs, path);
    if (!data.ok()) {
      if (problems) problems->push_back({path, std::nullopt, data.status().message()});
      continue;
    }
    auto m = ParseManifest(AsString(*data), path);
    Status s = m.ok() ? VerifyManifestSignature(*m, path) : m.status();
    if (s.ok() && m->run != *run) s = Corruption(path + ": names run " + std::to_string(m->run), {path, std::nullopt, std::nullopt, "manifest"});
    if (s.ok()) {
      // Only the exact bytes Ura wrote: any other spelling of the same JSON is an alteration.
      std::string again = ManifestFileText(*m);
      if (again != AsString(*data)) {
        s = Corruption(path + ": the file differs from its signed content (altered)", {path, std::nullopt, std::nullopt, "manifest"});
      }
    }
    if (!s.ok()) {
      if (problems) problems->push_back({path, std::nullopt, s.message()});
      continue;
    }
    out.push_back({std::move(m).value(), path, HexEncode(crypto::Sha256(*data))});
  }
  return out;
}

Result<std::vector<HeadFrame>> ListHeadFrames(FileSystem& fs, const std::string& journal_dir) {
  URA_ASSIGN_OR_RETURN(auto segments, journal::ListSegments(fs, journal_dir));
  std::vector<HeadFrame> heads;
  for (const journal::SegmentFile& seg : segments) {
    URA_ASSIGN_OR_RETURN(Bytes data, ReadWholeFile(fs, seg.path));
    size_t header_len = 0;
    auto header = journal::DecodeSegmentHeader(data, &header_len);
    if (!header.ok()) return Corruption(seg.path + ": " + header.status().message(), {seg.path, 0, std::nullopt, "segment-header"});
    auto scan = journal::ScanFrames(data, header_len, [&](const journal::ScannedFrame& f) {
      if (f.header.kind == journal::FrameKind::kHead) {
        HeadFrame h;
        h.tree_size = f.header.sequence;
        h.timestamp_us = f.header.timestamp_us;
        std::copy_n(f.body.data(), 32, h.root.begin());
        heads.push_back(h);
      }
      return Status::Ok();
    });
    if (!scan.ok()) return scan.status();
  }
  return heads;
}

Result<BackupReport> RunBackup(BackupSource& source, FileSystem& fs, const std::string& target,
                               const ManifestSigner& signer, Clock& clock, const BackupOptions& options) {
  if (options.chunk_bytes == 0) return InvalidArgument("the chunk size must not be 0");
  URA_RETURN_IF_ERROR(fs.CreateDir(target));
  const std::string objects = JoinPath(target, "objects");
  const std::string manifests = JoinPath(target, "manifests");
  URA_RETURN_IF_ERROR(fs.CreateDir(objects));
  URA_RETURN_IF_ERROR(fs.CreateDir(manifests));
  URA_ASSIGN_OR_RETURN(auto lock, FileLock::Acquire(JoinPath(target, "backup.lock")));

  std::vector<BackupProblem> problems;
  URA_ASSIGN_OR_RETURN(auto loaded, LoadManifests(fs, target, &problems));
  if (!problems.empty()) {
    return Corruption(problems.front().file + ": " + problems.front().message +
                          "; the target is damaged: run `ura backup --check` and back up to a new target",
                      {problems.front().file, std::nullopt, std::nullopt, "manifest"});
  }
  const LoadedManifest* prev = loaded.empty() ? nullptr : &loaded.back();

  URA_ASSIGN_OR_RETURN(SourceSnapshot snap, source.Snapshot());
  BackupReport report;
  report.head = snap.head;
  if (prev) {
    const Manifest& pm = prev->manifest;
    report.previous_run = pm.run;
    if (pm.store_id != snap.meta.store_id) {
      return FailedPrecondition(target + " holds backups of store " + HexEncode(pm.store_id) + ", not of " +
                                HexEncode(snap.meta.store_id) + "; use another target directory");
    }
    if (pm.head.public_key != snap.head.public_key) {
      return FailedPrecondition("the primary's signing key differs from the one in backup run " + std::to_string(pm.run) +
                                " (store.json was replaced?); nothing was backed up");
    }
    if (snap.head.tree_size < pm.head.tree_size) {
      return FailedPrecondition("rollback: the primary's latest head covers " + std::to_string(snap.head.tree_size) +
                                " entries but backup run " + std::to_string(pm.run) + " saw " +
                                std::to_string(pm.head.tree_size) +
                                " (the primary was replaced by an older copy?); nothing was backed up; restore from "
                                "this backup");
    }
    if (snap.head.tree_size == pm.head.tree_size && snap.head.root != pm.head.root) {
      return FailedPrecondition("fork: the primary's head at tree size " + std::to_string(snap.head.tree_size) +
                                " has another root than backup run " + std::to_string(pm.run) +
                                " saw (history was rewritten); nothing was backed up");
    }
  }
  std::map<std::string, const ManifestFile*> before;
  if (prev) for (const ManifestFile& f : prev->manifest.files) before[f.path] = &f;

  Manifest m;
  m.source = source.Describe();
  m.store_id = snap.meta.store_id;
  m.head = snap.head;
  bool all_same = prev && prev->manifest.files.size() == snap.files.size() &&
                  prev->manifest.head.tree_size == snap.head.tree_size;
  for (const SourceFile& sf : snap.files) {
    auto known = before.find(sf.path);
    // Only if every chunk is still in the target (a stat each): else it is read and copied again.
    auto all_there = [&](const ManifestFile& f) {
      for (const ManifestChunk& c : f.chunks) {
        if (!fs.Exists(ObjectPath(target, c.sha256))) return false;
      }
      return true;
    };
    if (!options.reread_sealed && sf.sealed && known != before.end() && known->second->sealed &&
        known->second->size == sf.size && all_there(*known->second)) {
      m.files.push_back(*known->second);
      ++report.files_reused;
      continue;
    }
    URA_ASSIGN_OR_RETURN(auto file, source.Open(sf));
    URA_ASSIGN_OR_RETURN(Bytes data, ReadPrefix(*file, sf.size));
    report.bytes_read += data.size();
    ManifestFile mf{sf.path, sf.size, crypto::Sha256(data), {}, sf.segment, sf.sealed};
    auto it = before.find(sf.path);
    const ManifestFile* old = it == before.end() ? nullptr : it->second;
    if (old && sf.segment) {
      // The journal is append-only: a segment may only grow, a sealed one never changes.
      bool prefix_same = sf.size >= old->size && crypto::Sha256(ByteView(data).first(old->size)) == old->sha256;
      if (!prefix_same || (old->sealed && sf.size != old->size)) {
        return Corruption(sf.path + ": the primary's copy is not the one backup run " + std::to_string(prev->manifest.run) +
                              " kept, extended (segments are only appended to): the primary was tampered with; "
                              "nothing was backed up; run `ura verify` on it and restore from this backup",
                          {sf.path, std::nullopt, std::nullopt, "segment-changed"});
      }
    }
    if (!old || old->sha256 != mf.sha256) all_same = false;
    if (sf.segment && !(old && old->sha256 == mf.sha256)) {
      Status valid = ValidateSegmentAlone(data, sf.path, snap.meta, sf.sealed);
      if (!valid.ok()) return valid.WithContext("the primary's journal is damaged; nothing was backed up (run `ura verify`)");
    }
    for (uint64_t off = 0; off < data.size(); off += options.chunk_bytes) {
      ByteView chunk = ByteView(data).subspan(off, std::min<uint64_t>(options.chunk_bytes, data.size() - off));
      ManifestChunk c{crypto::Sha256(chunk), chunk.size()};
      const std::string object = ObjectPath(target, c.sha256);
      if (!fs.Exists(object)) {
        URA_RETURN_IF_ERROR(WriteNewFile(fs, object, chunk));
        ++report.objects_copied;
        report.bytes_copied += chunk.size();
      }
      mf.chunks.push_back(c);
    }
    m.files.push_back(std::move(mf));
  }
  report.files = m.files.size();
  if (all_same && report.objects_copied == 0) {
    report.nothing_new = true;
    return report;
  }
  m.run = prev ? prev->manifest.run + 1 : 1;
  m.created_us = clock.NowMicros();
  m.previous = prev ? prev->file_sha256 : "";
  URA_ASSIGN_OR_RETURN(std::string text, SignManifest(m, signer));
  report.run = m.run;
  report.manifest_path = JoinPath(manifests, ManifestFileName(m.run));
  URA_RETURN_IF_ERROR(WriteNewFile(fs, report.manifest_path, AsBytes(text)));
  return report;
}

namespace {

// A file made of chunk objects read one after another.
class ChunkedFile final : public ReadableFile {
 public:
  ChunkedFile(std::string path, std::vector<std::unique_ptr<ReadableFile>> parts, std::vector<uint64_t> sizes)
      : path_(std::move(path)), parts_(std::move(parts)), sizes_(std::move(sizes)) {
    for (uint64_t s : sizes_) size_ += s;
  }
  Result<size_t> ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    size_t done = 0;
    uint64_t start = 0;
    for (size_t i = 0; i < parts_.size() && done < n; start += sizes_[i], ++i) {
      const uint64_t pos = offset + done;
      if (pos >= start + sizes_[i]) continue;
      size_t want = static_cast<size_t>(std::min<uint64_t>(n - done, start + sizes_[i] - pos));
      URA_ASSIGN_OR_RETURN(size_t got, parts_[i]->ReadAt(pos - start, want, out + done));
      done += got;
      if (got < want) break;  // a short object: the hash check names it
    }
    return done;
  }
  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::vector<std::unique_ptr<ReadableFile>> parts_;
  std::vector<uint64_t> sizes_;
  uint64_t size_ = 0;
};

// A read-only view of one manifest's files as a store directory, for VerifyJournal and
// LoadStoreMeta: "<root>/journal/seg-N.ura" reads its chunks from objects/.
class ManifestView final : public FileSystem {
 public:
  ManifestView(FileSystem& base, std::string root, const Manifest& m, const std::string& target)
      : base_(base), root_(std::move(root)), target_(target) {
    for (const ManifestFile& f : m.files) files_[JoinPath(root_, f.path)] = &f;
  }
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, OpenMode) override {
    return PermissionDenied(path + ": a backup is read-only");
  }
  Result<std::unique_ptr<ReadableFile>> OpenReadable(const std::string& path) override {
    auto it = files_.find(path);
    if (it == files_.end()) return NotFound(path + " is not in the backup");
    std::vector<std::unique_ptr<ReadableFile>> parts;
    std::vector<uint64_t> sizes;
    for (const ManifestChunk& c : it->second->chunks) {
      URA_ASSIGN_OR_RETURN(auto part, base_.OpenReadable(ObjectPath(target_, c.sha256)));
      parts.push_back(std::move(part));
      sizes.push_back(c.size);
    }
    return std::unique_ptr<ReadableFile>(new ChunkedFile(path, std::move(parts), std::move(sizes)));
  }
  Status Rename(const std::string& from, const std::string&) override { return PermissionDenied(from); }
  Status Remove(const std::string& path) override { return PermissionDenied(path); }
  Status CreateDir(const std::string& path) override { return PermissionDenied(path); }
  Status SyncDir(const std::string&) override { return Status::Ok(); }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    std::set<std::string> names;
    const std::string prefix = path + "/";
    for (const auto& [p, object] : files_) {
      if (p.compare(0, prefix.size(), prefix) != 0) continue;
      std::string rest = p.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
    if (names.empty()) return NotFound(path + " is not in the backup");
    return std::vector<std::string>(names.begin(), names.end());
  }
  bool Exists(const std::string& path) override {
    if (files_.count(path)) return true;
    auto listed = ListDir(path);
    return listed.ok();
  }
  Status MakeReadOnly(const std::string&) override { return Status::Ok(); }
  // The object behind a byte of a virtual path, for naming damage: (object, offset in it).
  std::pair<std::string, std::optional<uint64_t>> ObjectFor(const std::string& path, std::optional<uint64_t> offset) const {
    auto it = files_.find(path);
    if (it == files_.end() || it->second->chunks.empty()) return {path, offset};
    uint64_t start = 0;
    for (const ManifestChunk& c : it->second->chunks) {
      if (offset && *offset < start + c.size) return {ObjectPath(target_, c.sha256), *offset - start};
      start += c.size;
    }
    return {ObjectPath(target_, it->second->chunks.front().sha256), std::nullopt};
  }

 private:
  FileSystem& base_;
  std::string root_;
  std::string target_;
  std::map<std::string, const ManifestFile*> files_;
};

}  // namespace

Result<CheckReport> CheckBackup(FileSystem& fs, const std::string& target, const CheckOptions& options) {
  if (!fs.Exists(JoinPath(target, "manifests"))) {
    return NotFound("no Ura backup at " + target + " (no manifests directory); give the directory `ura backup` wrote to");
  }
  CheckReport report;
  URA_ASSIGN_OR_RETURN(auto loaded, LoadManifests(fs, target, &report.problems));
  report.manifests = loaded.size();
  auto problem = [&](std::string file, std::optional<uint64_t> offset, std::string message) {
    report.problems.push_back({std::move(file), offset, std::move(message)});
  };
  if (loaded.empty()) {
    problem(JoinPath(target, "manifests"), std::nullopt, "no valid manifest: there is no backup to restore");
  }
  // One store, one key, runs in a chain that never goes back.
  const Manifest* ref = loaded.empty() ? nullptr : &loaded.back().manifest;
  if (ref && options.trusted_head) {
    const journal::SignedHead& t = *options.trusted_head;
    if (t.store_id != ref->store_id || t.public_key != ref->public_key) {
      problem(loaded.back().path, std::nullopt,
              "forged: the backup is signed by another store or key than the trusted head's");
    } else if (ref->head.tree_size < t.tree_size) {
      problem(loaded.back().path, std::nullopt,
              "rollback: the latest backup covers " + std::to_string(ref->head.tree_size) +
                  " entries but the trusted head covers " + std::to_string(t.tree_size));
    }
  }
  struct ChunkRef {
    const ManifestFile* file;
    uint64_t offset;  // of the chunk within the file
    uint64_t size;
    const LoadedManifest* manifest;
  };
  std::map<crypto::Hash256, ChunkRef> objects;
  for (size_t i = 0; i < loaded.size(); ++i) {
    const LoadedManifest& lm = loaded[i];
    const Manifest& m = lm.manifest;
    if (m.store_id != ref->store_id || m.public_key != ref->public_key || m.head.public_key != m.public_key ||
        m.head.store_id != m.store_id) {
      problem(lm.path, std::nullopt, "belongs to another store or is signed by another key than the latest run");
    }
    if (!journal::VerifyHeadSignature(m.head).ok()) problem(lm.path, std::nullopt, "the head in it has an invalid signature");
    if (i == 0 && m.run != 1) problem(lm.path, std::nullopt, "runs before " + std::to_string(m.run) + " are missing (deleted?)");
    if (i > 0) {
      const LoadedManifest& p = loaded[i - 1];
      if (p.manifest.run + 1 != m.run) {
        problem(lm.path, std::nullopt, "the manifest of run " + std::to_string(p.manifest.run + 1) + " is missing (deleted?)");
      } else if (m.previous != p.file_sha256) {
        problem(lm.path, std::nullopt, "does not chain to run " + std::to_string(p.manifest.run) + " (a manifest was replaced)");
      }
      if (m.head.tree_size < p.manifest.head.tree_size) {
        problem(lm.path, std::nullopt, "its head is older than run " + std::to_string(p.manifest.run) + "'s");
      }
    }
    for (const ManifestFile& f : m.files) {
      uint64_t offset = 0;
      for (const ManifestChunk& c : f.chunks) {
        objects.emplace(c.sha256, ChunkRef{&f, offset, c.size, &lm});
        offset += c.size;
      }
    }
  }
  // Every object, hashed once.
  std::optional<journal::StoreMeta> meta;
  for (const auto& [sha, where] : objects) {
    const ManifestFile& f = *where.file;
    const std::string path = ObjectPath(target, sha);
    const std::string what = f.path + " bytes " + std::to_string(where.offset) + ".." +
                             std::to_string(where.offset + where.size) + " of run " + std::to_string(where.manifest->manifest.run);
    ++report.objects;
    auto data = ReadWholeFile(fs, path);
    if (!data.ok()) {
      problem(path, std::nullopt, "missing or unreadable (" + what + "): " + data.status().message());
      continue;
    }
    report.bytes += data->size();
    if (data->size() != where.size || crypto::Sha256(*data) != sha) {
      std::optional<uint64_t> offset;
      if (data->size() != where.size) offset = std::min<uint64_t>(data->size(), where.size);
      if (f.segment && !offset) {
        // Which frame is damaged: the segment, reassembled, checked on its own from its header.
        Bytes whole;
        for (const ManifestChunk& c : f.chunks) {
          auto part = c.sha256 == sha ? Result<Bytes>(*data) : ReadWholeFile(fs, ObjectPath(target, c.sha256));
          if (part.ok()) AppendBytes(whole, *part);
        }
        journal::StoreMeta m;
        m.store_id = ref->store_id;
        m.signing_public_key = ref->public_key;
        m.signing_key_id = ref->head.key_id;
        auto index = journal::ParseSegmentFileName(f.path.substr(f.path.find_last_of('/') + 1));
        auto at = LocateSegmentDamage(whole, index.value_or(0), m);
        if (at && *at >= where.offset && *at < where.offset + where.size) offset = *at - where.offset;
      }
      problem(path, offset, "content does not match its SHA-256 (" + what + "): the backup copy was altered or damaged");
    }
  }
  // Files in objects/ that no manifest names.
  const std::string objects_dir = JoinPath(target, "objects");
  if (fs.Exists(objects_dir)) {
    URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(objects_dir));
    for (const std::string& name : names) {
      if (IsTempName(name)) {
        report.notes.push_back(JoinPath(objects_dir, name) + ": left by an interrupted run (not part of any backup)");
        continue;
      }
      auto raw = HexDecode(name);
      crypto::Hash256 h{};
      if (raw.ok() && raw->size() == 32) std::copy(raw->begin(), raw->end(), h.begin());
      const std::string path = JoinPath(objects_dir, name);
      if (!raw.ok() || raw->size() != 32) {
        problem(path, std::nullopt, "not an object name (a file planted in the backup)");
      } else if (!objects.count(h)) {
        // Copied by a run that was interrupted before its manifest (the next run uses it), or
        // planted: either way no restore reads it unless a signed manifest names it. Its bytes
        // must still be the ones its name says.
        auto data = ReadWholeFile(fs, path);
        if (!data.ok() || crypto::Sha256(*data) != h) {
          problem(path, std::nullopt, "content does not match its name (SHA-256); named by no manifest");
        } else {
          report.notes.push_back(path + ": named by no manifest yet (copied by an interrupted run)");
        }
      }
    }
  }
  if (fs.Exists(JoinPath(target, "manifests"))) {
    URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(JoinPath(target, "manifests")));
    for (const std::string& name : names) {
      if (IsTempName(name)) report.notes.push_back(JoinPath(JoinPath(target, "manifests"), name) + ": left by an interrupted run");
    }
  }
  if (ref) {
    report.latest_run = ref->run;
    report.latest_head = ref->head;
  }
  if (options.read_data && ref && report.problems.empty()) {
    // The journal as the latest run kept it, verified as `ura verify` does (keyless).
    const std::string root = JoinPath(target, "@run-" + std::to_string(ref->run));
    ManifestView view(fs, root, *ref, target);
    journal::StorePaths paths(root);
    auto m = journal::LoadStoreMeta(view, paths);
    if (!m.ok()) {
      problem(view.ObjectFor(paths.meta, std::nullopt).first, std::nullopt, "store.json: " + m.status().message());
    } else if (m->store_id != ref->store_id || m->signing_public_key != ref->public_key) {
      problem(view.ObjectFor(paths.meta, std::nullopt).first, std::nullopt, "store.json names another store or key than the manifests");
    } else {
      journal::VerifyOptions vo;
      vo.trusted_head = options.trusted_head;
      vo.threads = options.threads;
      auto v = journal::VerifyJournal(view, paths, *m, vo);
      if (!v.ok()) return v.status();
      report.data_read = true;
      if (!v->intact) {
        std::string file = paths.journal_dir;
        std::optional<uint64_t> offset;
        if (const auto& c = v->problem.corruption()) std::tie(file, offset) = view.ObjectFor(c->file, c->offset);
        problem(file, offset, v->problem.message());
      } else if (v->tree_size != ref->head.tree_size || v->root != ref->head.root) {
        problem(loaded.back().path, std::nullopt, "the journal it names ends at tree size " + std::to_string(v->tree_size) +
                                                      ", not at its head's " + std::to_string(ref->head.tree_size));
      } else {
        // Every earlier run's head must be a head of this history.
        auto heads = ListHeadFrames(view, paths.journal_dir);
        if (!heads.ok()) return heads.status();
        std::map<uint64_t, crypto::Hash256> roots;
        for (const HeadFrame& h : *heads) roots[h.tree_size] = h.root;
        for (const LoadedManifest& lm : loaded) {
          auto it = roots.find(lm.manifest.head.tree_size);
          if (it == roots.end() || it->second != lm.manifest.head.root) {
            problem(lm.path, std::nullopt, "fork: its head at tree size " + std::to_string(lm.manifest.head.tree_size) +
                                               " is not in the history of the latest run");
          }
        }
      }
    }
  }
  report.intact = report.problems.empty();
  return report;
}

}  // namespace ura::recovery
