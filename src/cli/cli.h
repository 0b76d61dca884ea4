// The `ura` command line: parsing (CLI11) and one thin file per command group that calls
// the library. Exit codes (docs/cli.md): 0 success; 1 the operation failed (wrong
// passphrase, disk full, damaged store ...); 2 usage or environment error (bad flags, no
// store); 3 `ura verify` found damage.
#pragma once

#include <iosfwd>
#include <string>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"
#include "journal/keys.h"

namespace CLI {
class App;
}

namespace ura::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDamaged = 3;

// What every command gets: global options and the seams (files, clock, output streams).
struct Context {
  std::string data_flag;  // --data, if given
  bool json = false;
  std::string passphrase_file;
  std::string key_file;
  std::string reason;  // --reason: the justification consultations of police data need
  std::string as_user;  // --as: the Ura user consulting (else the custodian holding the key)
  FileSystem* fs = nullptr;
  Clock* clock = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;

  // --data, else $URA_DATA, else ./ura-data.
  std::string DataDir() const;
  journal::StorePaths paths() const { return journal::StorePaths(DataDir()); }
};

// The secret that unlocks the store: --key-file, else --passphrase-file, else
// $URA_PASSPHRASE, else a prompt when standard input is a terminal. Never an argument.
Result<journal::KeySecret> ObtainSecret(const Context& ctx, bool confirm_new = false);
// A secret kept in a file (a passphrase, password or token): its first line, without the line
// ending; errors name `option`.
Result<std::string> ReadSecretFile(FileSystem& fs, const std::string& path, const char* option);

// A user's password: --password-file, else $URA_USER_PASSWORD, else asked on a terminal (twice
// for a new one, `confirm`). Never an argument.
Result<std::string> ObtainUserPassword(const Context& ctx, const std::string& password_file, const std::string& user,
                                       bool confirm = true);
// A TOTP code: $URA_TOTP, else asked on a terminal.
Result<std::string> ObtainTotpCode(const std::string& user);

// Who runs the command, for the audit journal: "cli:" and the operating-system account.
std::string CliUser();

// Prints "ura: error: ..." and returns the exit code for `status`.
int ReportError(const Context& ctx, const Status& status);

// Each command group registers its subcommands; `exit_code` receives the result.
void RegisterInitCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterJournalCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterHeadCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterVerifyCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterProofCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterKeyCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterIngestCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterGenerateCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterSearchCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterResolveCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterGraphCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterAmlCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterAuditCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterUserCommands(CLI::App& app, Context& ctx, int& exit_code);
void RegisterServeCommand(CLI::App& app, Context& ctx, int& exit_code);
void RegisterExchangeCommands(CLI::App& app, Context& ctx, int& exit_code);

// Parses `argv` and runs the command with `ctx` (tests pass their own file system, clock
// and streams). Returns the exit code.
int Run(int argc, const char* const* argv, Context& ctx);
// Entry point used by apps/ura_main.cc: Run with the real file system, clock and stdio.
int Main(int argc, char** argv);

}  // namespace ura::cli
