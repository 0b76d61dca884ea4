#include "recovery/backup_log.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ura::recovery {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "ura-backup-note";

Status Malformed(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }

std::string NotesDir(const std::string& store_dir) { return JoinPath(store_dir, "backups"); }

bool IsNoteName(const std::string& name) {
  const size_t dash = name.find('-');
  if (dash != 20) return false;
  for (size_t i = 0; i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  return name == name.substr(0, dash) + "-local.json" || name == name.substr(0, dash) + "-pull.json";
}

Result<BackupNote> ParseNote(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Malformed("not JSON");
  if (j.value("format", "") != kFormat || j.value("version", 0) != 1) return Malformed("not a version 1 backup note");
  try {
    BackupNote n;
    n.time_us = j.at("time_us").get<int64_t>();
    n.mode = j.at("mode").get<std::string>();
    n.destination = j.at("destination").get<std::string>();
    n.run = j.at("run").get<uint64_t>();
    n.nothing_new = j.at("nothing_new").get<bool>();
    n.tree_size = j.at("tree_size").get<uint64_t>();
    n.bytes_copied = j.at("bytes_copied").get<uint64_t>();
    auto root = HexDecode(j.at("root_hash").get<std::string>());
    if (!root.ok() || root->size() != n.root.size()) return Malformed("root_hash is not 64 hex digits");
    std::copy(root->begin(), root->end(), n.root.begin());
    if (n.mode != "local" && n.mode != "pull") return Malformed("mode '" + n.mode + "' is neither local nor pull");
    return n;
  } catch (const json::exception& e) {
    return Malformed(std::string("a field is missing or of the wrong type (") + e.what() + ")");
  }
}

}  // namespace

Status WriteBackupNote(FileSystem& fs, const std::string& store_dir, const BackupNote& note) {
  if (note.mode != "local" && note.mode != "pull") return InvalidArgument("a backup note's mode is local or pull");
  const std::string dir = NotesDir(store_dir);
  URA_RETURN_IF_ERROR(fs.CreateDir(dir));
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%020lld", static_cast<long long>(note.time_us));
  const json j = {{"format", kFormat},
                  {"version", 1},
                  {"time_us", note.time_us},
                  {"mode", note.mode},
                  {"destination", note.destination},
                  {"run", note.run},
                  {"nothing_new", note.nothing_new},
                  {"tree_size", note.tree_size},
                  {"root_hash", HexEncode(note.root)},
                  {"bytes_copied", note.bytes_copied}};
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return WriteFileAtomically(fs, JoinPath(dir, std::string(stamp) + "-" + note.mode + ".json"), AsBytes(text));
}

Result<BackupNotes> ReadBackupNotes(FileSystem& fs, const std::string& store_dir, size_t limit) {
  BackupNotes out;
  const std::string dir = NotesDir(store_dir);
  if (!fs.Exists(dir)) return out;
  URA_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  for (auto it = names.rbegin(); it != names.rend() && out.latest.size() < limit; ++it) {
    const std::string path = JoinPath(dir, *it);
    if (it->size() > 4 && it->compare(it->size() - 4, 4, ".tmp") == 0) continue;  // a write a crash cut short
    if (!IsNoteName(*it)) {
      out.problems.push_back(path + ": not a backup note (names are <20-digit time>-local.json or -pull.json)");
      continue;
    }
    auto data = ReadWholeFile(fs, path);
    if (!data.ok()) {
      out.problems.push_back(path + ": " + data.status().message());
      continue;
    }
    auto note = ParseNote(AsString(*data));
    if (!note.ok()) {
      out.problems.push_back(path + ": " + note.status().message());
      continue;
    }
    out.latest.push_back(std::move(note).value());
  }
  return out;
}

}  // namespace ura::recovery
