// `ura drill [--size N] [--scratch DIR] [--keep] [--json]`: attack a scratch store in seven
// ways, check that each attack is detected by the commands an operator would run, and recover
// from backup (or, for the index, by rebuilding it). Prints a table; exit 1 if any attack was
// not detected or not fully recovered. Never touches the store at --data.
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/recovery_commands.h"
#include "crypto/secret.h"
#include "index/index.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "model/entity.h"

namespace ura::cli {

namespace {

namespace stdfs = std::filesystem;

// The attacker works on the files directly, as root on the server would: not through Ura.
Result<Bytes> ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("drill: cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}
Status WriteRaw(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return out ? Status::Ok() : IoError("drill: cannot write " + path);
}

std::vector<std::string> Segments(const std::string& store) {
  std::vector<std::string> out;
  for (const auto& e : stdfs::directory_iterator(store + "/journal")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

Status Ransomware(const std::string& store) {
  for (const auto& e : stdfs::recursive_directory_iterator(store)) {
    if (!e.is_regular_file()) continue;
    URA_ASSIGN_OR_RETURN(Bytes data, ReadRaw(e.path()));
    Bytes key = crypto::RandomBytes(data.size());
    for (size_t i = 0; i < data.size(); ++i) data[i] ^= key[i];
    URA_RETURN_IF_ERROR(WriteRaw(e.path(), data));
  }
  return Status::Ok();
}

Status Wiper(const std::string& store) {
  for (const std::string& seg : Segments(store)) {
    Bytes zeros(stdfs::file_size(seg), 0);
    URA_RETURN_IF_ERROR(WriteRaw(seg, zeros));
  }
  return Status::Ok();
}

// One byte of one entry's ciphertext changed in a middle segment, and the frame's checksums
// recomputed, as an insider who knows the format would: only the Merkle tree and the signed
// heads can tell.
Status EditEntry(const std::string& store) {
  auto segs = Segments(store);
  const std::string seg = segs[segs.size() / 2];
  URA_ASSIGN_OR_RETURN(Bytes data, ReadRaw(seg));
  size_t header_len = 0;
  URA_RETURN_IF_ERROR(journal::DecodeSegmentHeader(data, &header_len).status());
  std::optional<uint64_t> target;
  auto scan = journal::ScanFrames(data, header_len, [&](const journal::ScannedFrame& f) {
    if (f.header.kind == journal::FrameKind::kEntry && !target) target = f.offset;
    return Status::Ok();
  });
  URA_RETURN_IF_ERROR(scan.status());
  if (!target) return FailedPrecondition("drill: no entry in " + seg);
  uint8_t* frame = data.data() + *target;
  journal::HeaderProblem problem;
  journal::FrameHeader h = journal::DecodeFrameHeader(frame, &problem);
  frame[journal::kFrameHeaderSize + journal::kNonceSize + 3] ^= 0x20;
  h.body_checksum = journal::Checksum32(ByteView(frame + journal::kFrameHeaderSize, h.body_len));
  journal::EncodeFrameHeader(h, frame);
  return WriteRaw(seg, data);
}

Status DeleteSegment(const std::string& store) {
  auto segs = Segments(store);
  if (segs.size() < 3) return FailedPrecondition("drill: the store has fewer than 3 segments");
  stdfs::remove(segs[segs.size() / 2]);
  return Status::Ok();
}

Status FlipLargestFile(const std::string& dir) {
  std::string largest;
  uintmax_t size = 0;
  for (const auto& e : stdfs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.file_size() > size) {
      size = e.file_size();
      largest = e.path();
    }
  }
  if (largest.empty()) return FailedPrecondition("drill: nothing to change in " + dir);
  URA_ASSIGN_OR_RETURN(Bytes data, ReadRaw(largest));
  data[data.size() / 2] ^= 0x01;
  return WriteRaw(largest, data);
}

Result<journal::SignedHead> LatestHead(FileSystem& fs, const std::string& dir) {
  journal::StorePaths paths(dir);
  URA_ASSIGN_OR_RETURN(journal::StoreMeta meta, journal::LoadStoreMeta(fs, paths));
  return journal::ReadLatestHead(fs, paths, meta);
}

}  // namespace

const char* DrillScenarioName(DrillScenario s) {
  switch (s) {
    case DrillScenario::kRansomware: return "ransomware encrypts every file";
    case DrillScenario::kWiper: return "wiper zeroes the segments";
    case DrillScenario::kEditEntry: return "insider edits one entry";
    case DrillScenario::kDeleteSegment: return "insider deletes a segment";
    case DrillScenario::kRollback: return "store replaced by an older copy";
    case DrillScenario::kEditIndex: return "index edited";
    case DrillScenario::kTamperBackup: return "backup copy tampered with";
  }
  return "?";
}

Drill::~Drill() {
  if (remove_) {
    std::error_code ignored;
    stdfs::remove_all(scratch_, ignored);
  }
}

int Drill::Ura(const std::string& dir, std::vector<std::string> args, std::string* first_line) {
  std::vector<std::string> full = {"ura", "--data", dir, "--key-file", Sub("key")};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& a : full) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Context sub;
  sub.fs = ctx_.fs;
  sub.clock = ctx_.clock;
  sub.out = &out;
  sub.err = &err;
  int rc = ura::cli::Run(static_cast<int>(argv.size()), argv.data(), sub);
  if (first_line) {
    // What the command found: its DAMAGED line, else its error, else its first line.
    std::string found;
    std::istringstream lines(out.str() + err.str());
    std::string line, first;
    while (std::getline(lines, line)) {
      if (first.empty()) first = line;
      if (found.empty() && (line.rfind("DAMAGED", 0) == 0 || line.rfind("INDEX DAMAGED", 0) == 0 ||
                            line.rfind("ura: error", 0) == 0)) {
        found = line;
      }
    }
    *first_line = found.empty() ? first : found;
  }
  return rc;
}

Result<std::unique_ptr<Drill>> Drill::Prepare(Context& ctx, const std::string& scratch_dir, uint64_t entities,
                                              bool remove_scratch) {
  FileSystem& fs = *ctx.fs;
  std::string scratch = scratch_dir;
  if (scratch.empty()) {
    char tmpl[] = "/tmp/ura-drill-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return IoError("drill: cannot create a scratch directory in /tmp");
    scratch = tmpl;
  } else {
    if (fs.Exists(scratch)) {
      URA_ASSIGN_OR_RETURN(auto names, fs.ListDir(scratch));
      if (!names.empty()) return AlreadyExists("--scratch " + scratch + " is not empty; give a new directory");
    }
    URA_RETURN_IF_ERROR(fs.CreateDir(scratch));
  }
  std::unique_ptr<Drill> d(new Drill(ctx, scratch, remove_scratch));
  URA_ASSIGN_OR_RETURN(journal::KeySecret secret, journal::CreateKeyFile(fs, d->Sub("key")));
  journal::JournalOptions options;
  options.fs = &fs;
  options.clock = ctx.clock;
  // Several segments whatever the size, so that one can be deleted.
  options.segment_target_bytes = std::max<uint64_t>(16u << 10, entities * 400 / 6);
  const std::string primary = d->Sub("primary");
  URA_RETURN_IF_ERROR(journal::Journal::Create(primary, secret, {}, options).status());
  auto fill = [&](uint64_t from, uint64_t to) -> Status {
    URA_ASSIGN_OR_RETURN(auto journal, journal::Journal::OpenForWrite(primary, secret, options));
    for (uint64_t first = from; first < to; first += 250) {
      std::vector<std::string> payloads;
      for (uint64_t i = first; i < std::min(to, first + 250); ++i) {
        model::Entity e;
        e.id = "drill-" + std::to_string(i);
        e.schema = "Person";
        model::Provenance prov{"drill", std::to_string(i), ctx.clock->NowMicros()};
        e.properties["name"].push_back({"Drill Person " + std::to_string(i), prov});
        payloads.push_back(model::CanonicalJson(e));
      }
      std::vector<journal::EntryInput> batch;
      for (const auto& p : payloads) batch.push_back({index::kEntryTypeEntityVersion, AsBytes(p)});
      URA_RETURN_IF_ERROR(journal->Append(batch).status());
    }
    return journal->health();
  };
  URA_RETURN_IF_ERROR(fill(0, entities / 2));
  std::error_code ec;
  stdfs::copy(primary, d->Sub("old-copy"), stdfs::copy_options::recursive, ec);
  if (ec) return IoError("drill: copying the store: " + ec.message());
  URA_RETURN_IF_ERROR(fill(entities / 2, entities));
  std::string line;
  if (d->Ura(primary, {"reindex"}, &line) != kExitOk) return Internal("drill: reindex failed: " + line);
  URA_ASSIGN_OR_RETURN(journal::SignedHead head, LatestHead(fs, primary));
  // The head an operator saves off-box after each backup.
  URA_RETURN_IF_ERROR(WriteFileAtomically(fs, d->Sub("trusted-head.json"), AsBytes(journal::HeadToJson(head) + "\n")));
  for (const char* copy : {"backup-a", "backup-b"}) {
    if (d->Ura(primary, {"backup", d->Sub(copy)}, &line) != kExitOk) return Internal("drill: backup failed: " + line);
  }
  d->tree_size_ = head.tree_size;
  d->root_ = head.root;
  return d;
}

DrillRow Drill::Run(DrillScenario scenario) {
  DrillRow row;
  row.scenario = DrillScenarioName(scenario);
  const std::string tag = std::to_string(static_cast<int>(scenario));
  const std::string victim = Sub("victim-" + tag);
  const std::string trusted = Sub("trusted-head.json");
  std::error_code ec;
  stdfs::copy(scenario == DrillScenario::kRollback ? Sub("old-copy") : Sub("primary"), victim,
              stdfs::copy_options::recursive, ec);
  if (ec) {
    row.detail = "copying the store: " + ec.message();
    return row;
  }
  // Attack.
  Status attacked;
  std::string tampered_backup = Sub("backup-a-tampered-" + tag);
  switch (scenario) {
    case DrillScenario::kRansomware: attacked = Ransomware(victim); break;
    case DrillScenario::kWiper: attacked = Wiper(victim); break;
    case DrillScenario::kEditEntry: attacked = EditEntry(victim); break;
    case DrillScenario::kDeleteSegment: attacked = DeleteSegment(victim); break;
    case DrillScenario::kRollback: break;  // the copy is the attack
    case DrillScenario::kEditIndex: attacked = FlipLargestFile(victim + "/index"); break;
    case DrillScenario::kTamperBackup:
      stdfs::copy(Sub("backup-a"), tampered_backup, stdfs::copy_options::recursive, ec);
      attacked = ec ? IoError(ec.message()) : FlipLargestFile(tampered_backup + "/objects");
      break;
  }
  if (!attacked.ok()) {
    row.detail = "the attack could not be staged: " + attacked.message();
    return row;
  }
  // Detect, as an operator would.
  int rc;
  if (scenario == DrillScenario::kTamperBackup) {
    rc = Ura(victim, {"backup", "--check", "--read-data", tampered_backup}, &row.how);
    row.detected = rc == kExitDamaged;
  } else {
    rc = Ura(victim, {"verify", "--deep", "--trusted-head", trusted}, &row.how);
    row.detected = rc != kExitOk;
  }
  // Recover.
  const auto start = std::chrono::steady_clock::now();
  std::string recovered_store;
  std::string line;
  if (scenario == DrillScenario::kEditIndex) {
    if (Ura(victim, {"reindex"}, &line) == kExitOk) recovered_store = victim;
    else row.detail = "reindex failed: " + line;
  } else {
    std::string from = Sub("backup-a");
    if (scenario == DrillScenario::kTamperBackup) {
      // The damaged copy must be refused, then the second copy restores.
      if (Ura(victim, {"restore", tampered_backup, "--to", Sub("refused-" + tag)}, &line) == kExitOk) {
        row.detail = "a restore from the tampered copy was not refused";
      }
      from = Sub("backup-b");
    }
    const std::string to = Sub("restored-" + tag);
    if (row.detail.empty()) {
      if (Ura(victim, {"restore", from, "--to", to, "--trusted-head", trusted}, &line) == kExitOk) recovered_store = to;
      else row.detail = "restore failed: " + line;
    }
  }
  if (!recovered_store.empty()) {
    if (Ura(recovered_store, {"verify", "--deep", "--trusted-head", trusted}, &line) != kExitOk) {
      row.detail = "the recovered store does not verify: " + line;
    } else {
      auto head = LatestHead(*ctx_.fs, recovered_store);
      if (!head.ok()) {
        row.detail = head.status().message();
      } else {
        row.entries_lost = static_cast<int64_t>(tree_size_) - static_cast<int64_t>(std::min(head->tree_size, tree_size_));
        // The journal may hold more than before (an audit record of the reindex); what was
        // there must be there unchanged: the original root at the original size.
        bool same = head->tree_size == tree_size_ && head->root == root_;
        if (!same && head->tree_size > tree_size_) {
          journal::StorePaths paths(recovered_store);
          auto meta = journal::LoadStoreMeta(*ctx_.fs, paths);
          auto tree = meta.ok() ? journal::BuildMerkleTree(*ctx_.fs, paths, *meta) : Result<journal::MerkleTree>(meta.status());
          same = tree.ok() && tree->RootAt(tree_size_) == root_;
        }
        row.recovered = same && row.entries_lost == 0;
        if (!same) row.detail = "the recovered journal differs from the original";
      }
    }
  }
  row.seconds_to_recover = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!row.detected && row.detail.empty()) row.detail = "not detected: " + row.how;
  return row;
}

namespace {

struct DrillFlags {
  uint64_t size = 1000;
  std::string scratch;
  bool keep = false;
};

int RunDrill(Context& ctx, const DrillFlags& f) {
  auto drill = Drill::Prepare(ctx, f.scratch, f.size, !f.keep);
  if (!drill.ok()) return ReportError(ctx, drill.status().WithContext("preparing the drill"));
  std::vector<DrillRow> rows;
  bool all_ok = true;
  for (DrillScenario s : kAllDrillScenarios) {
    rows.push_back((*drill)->Run(s));
    all_ok = all_ok && rows.back().detected && rows.back().recovered;
  }
  if (ctx.json) {
    nlohmann::json j = {{"ok", all_ok}, {"entities", f.size}, {"tree_size", (*drill)->tree_size()}};
    for (const DrillRow& r : rows) {
      j["scenarios"].push_back({{"scenario", r.scenario}, {"detected", r.detected}, {"how", r.how},
                                {"entries_lost", r.entries_lost}, {"recovered", r.recovered},
                                {"seconds_to_recover", r.seconds_to_recover}, {"detail", r.detail}});
    }
    // Messages may quote damaged bytes: never let them break the JSON.
    *ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    char line[512];
    std::snprintf(line, sizeof line, "%-32s %-9s %-9s %-10s %-9s  %s\n", "scenario", "detected", "lost", "recovered",
                  "time (s)", "how");
    *ctx.out << "drill on a scratch store of " << f.size << " entities (" << (*drill)->tree_size()
             << " journal entries), two backup copies\n"
             << line;
    for (const DrillRow& r : rows) {
      std::string how = r.how.size() > 110 ? r.how.substr(0, 107) + "..." : r.how;
      std::snprintf(line, sizeof line, "%-32s %-9s %-9s %-10s %-9.2f  %s\n", r.scenario.c_str(), r.detected ? "yes" : "NO",
                    r.entries_lost < 0 ? "-" : (std::to_string(r.entries_lost) + " ent.").c_str(),
                    r.recovered ? "yes" : "NO", r.seconds_to_recover, how.c_str());
      *ctx.out << line;
      if (!r.detail.empty()) *ctx.out << "    " << r.detail << "\n";
    }
    *ctx.out << (all_ok ? "every attack was detected and fully recovered\n"
                        : "DRILL FAILED: an attack was not detected or not fully recovered\n");
  }
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace

void RegisterDrillCommand(CLI::App& app, Context& ctx, int& exit_code) {
  auto f = std::make_shared<DrillFlags>();
  auto* cmd = app.add_subcommand("drill", "Attack a scratch store seven ways and recover from backup; exit 1 if any attack "
                                          "is not detected or not fully recovered");
  cmd->add_option("--size", f->size, "Entities in the scratch store (default 1000)")->check(CLI::Range(10, 100000000));
  cmd->add_option("--scratch", f->scratch, "Empty directory for the scratch store (default: a new one in /tmp)");
  cmd->add_flag("--keep", f->keep, "Keep the scratch directory afterwards");
  cmd->callback([&ctx, &exit_code, f] { exit_code = RunDrill(ctx, *f); });
}

}  // namespace ura::cli
