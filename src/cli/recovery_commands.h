// What the recovery commands (backup, restore, witness, drill) share, and the attack drill's
// interface for its tests. The work itself is in src/recovery; these are the front ends.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "journal/tree_head.h"

namespace ura::cli {

void RegisterBackupCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterRestoreCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterWitnessCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterDrillCommand(CLI::App& app, Context& ctx, int& exit_code);

// A signed head saved with `ura head --json`, its signature checked. kInvalidArgument naming
// `option` and the file otherwise.
Result<journal::SignedHead> ReadHeadFile(FileSystem& fs, const std::string& path, const std::string& option);

// --- `ura drill` ---------------------------------------------------------------------------

enum class DrillScenario {
  kRansomware,     // every file of the store encrypted in place
  kWiper,          // every segment overwritten with zeros
  kEditEntry,      // one entry's ciphertext changed, frame checksums recomputed
  kDeleteSegment,  // a sealed segment deleted
  kRollback,       // the whole store replaced by an older copy
  kEditIndex,      // bytes of the index changed
  kTamperBackup,   // one object of a backup copy changed
};
inline constexpr DrillScenario kAllDrillScenarios[] = {
    DrillScenario::kRansomware, DrillScenario::kWiper,    DrillScenario::kEditEntry,   DrillScenario::kDeleteSegment,
    DrillScenario::kRollback,   DrillScenario::kEditIndex, DrillScenario::kTamperBackup};
const char* DrillScenarioName(DrillScenario s);

struct DrillRow {
  std::string scenario;
  bool detected = false;
  std::string how;             // the first line the detecting command printed
  int64_t entries_lost = -1;   // entries of the original journal missing after recovery (-1: not recovered)
  bool recovered = false;      // verify --deep passes and the head equals the original's
  double seconds_to_recover = 0;
  std::string detail;          // why not, when not detected or not recovered
};

// A scratch store of `entities` Person entities (several segments, an index, a saved trusted
// head, two backup copies A and B), on which each scenario attacks its own copy and recovers.
// Every step runs the real commands in-process (verify, backup --check, restore, reindex).
class Drill {
 public:
  // `scratch`: an empty or absent directory the drill may fill; removed by the destructor
  // only if `remove_scratch`.
  static Result<std::unique_ptr<Drill>> Prepare(Context& ctx, const std::string& scratch, uint64_t entities,
                                                bool remove_scratch);
  ~Drill();
  DrillRow Run(DrillScenario scenario);
  uint64_t tree_size() const { return tree_size_; }

 private:
  Drill(Context& ctx, std::string scratch, bool remove) : ctx_(ctx), scratch_(std::move(scratch)), remove_(remove) {}
  // Runs `ura --data DIR --key-file KEY args...`; the exit code, and the first line of output
  // that says what was found.
  int Ura(const std::string& dir, std::vector<std::string> args, std::string* first_line = nullptr);
  std::string Sub(const std::string& name) const { return scratch_ + "/" + name; }

  Context& ctx_;
  std::string scratch_;
  bool remove_;
  uint64_t tree_size_ = 0;
  crypto::Hash256 root_{};
};

}  // namespace ura::cli
