#include "cli/cli.h"
#include "cli/recovery_commands.h"

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace ura::cli {

namespace {

Result<std::string> PromptHidden(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return line;
}

}  // namespace

Result<std::string> ReadSecretFile(FileSystem& fs, const std::string& path, const char* option) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) return data.status().WithContext(std::string("reading ") + option);
  std::string secret(AsString(*data));
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

std::string Context::DataDir() const {
  if (!data_flag.empty()) return data_flag;
  if (const char* env = std::getenv("URA_DATA"); env != nullptr && *env != '\0') return env;
  return "./ura-data";
}

Result<journal::KeySecret> ObtainSecret(const Context& ctx, bool confirm_new) {
  FileSystem& fs = *ctx.fs;
  if (!ctx.key_file.empty()) return journal::ReadKeyFile(fs, ctx.key_file);
  journal::KeySecret secret;
  secret.kind = journal::KekKind::kPassphrase;
  std::string pass;
  if (!ctx.passphrase_file.empty()) {
    URA_ASSIGN_OR_RETURN(pass, ReadSecretFile(fs, ctx.passphrase_file, "--passphrase-file"));
  } else if (const char* env = std::getenv("URA_PASSPHRASE"); env != nullptr) {
    pass = env;
  } else if (::isatty(STDIN_FILENO)) {
    URA_ASSIGN_OR_RETURN(pass, PromptHidden("Passphrase for the store: "));
    if (confirm_new) {
      URA_ASSIGN_OR_RETURN(std::string again, PromptHidden("Repeat the passphrase: "));
      if (again != pass) return InvalidArgument("the two passphrases differ");
    }
  } else {
    return InvalidArgument(
        "no passphrase: set URA_PASSPHRASE, or use --passphrase-file FILE or --key-file FILE "
        "(passphrases are never accepted as arguments)");
  }
  if (pass.empty()) return InvalidArgument("the passphrase is empty");
  if (confirm_new && pass.size() < 12) {
    return InvalidArgument("the passphrase is shorter than 12 characters; choose a longer one");
  }
  secret.material = crypto::SecretBytes(AsBytes(pass));
  std::fill(pass.begin(), pass.end(), '\0');
  return secret;
}

Result<std::string> ObtainUserPassword(const Context& ctx, const std::string& password_file, const std::string& user,
                                       bool confirm) {
  std::string password;
  if (!password_file.empty()) {
    URA_ASSIGN_OR_RETURN(password, ReadSecretFile(*ctx.fs, password_file, "--password-file"));
  } else if (const char* env = std::getenv("URA_USER_PASSWORD"); env != nullptr) {
    password = env;
  } else if (::isatty(STDIN_FILENO)) {
    URA_ASSIGN_OR_RETURN(password, PromptHidden((confirm ? "New password for " : "Password of ") + user + ": "));
    if (confirm) {
      URA_ASSIGN_OR_RETURN(std::string again, PromptHidden("Repeat the password: "));
      if (again != password) return InvalidArgument("the two passwords differ");
    }
  } else {
    return InvalidArgument(
        "no password: set URA_USER_PASSWORD, or use --password-file FILE (passwords are never accepted as "
        "arguments)");
  }
  return password;
}

Result<std::string> ObtainTotpCode(const std::string& user) {
  if (const char* env = std::getenv("URA_TOTP"); env != nullptr) return std::string(env);
  if (::isatty(STDIN_FILENO)) return PromptHidden("TOTP code of " + user + ": ");
  return InvalidArgument("no TOTP code: " + user + " has a second factor; set URA_TOTP or run on a terminal");
}

int ReportError(const Context& ctx, const Status& status) {
  *ctx.err << "ura: error: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    default:
      return kExitFailed;
  }
}

int Main(int argc, char** argv) {
  SystemClock clock;
  Context ctx;
  ctx.fs = &DefaultFileSystem();
  ctx.clock = &clock;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  return Run(argc, argv, ctx);
}

std::string CliUser() {
  const passwd* pw = ::getpwuid(::geteuid());
  return std::string("cli:") + (pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : std::to_string(::geteuid()));
}

int Run(int argc, const char* const* argv, Context& ctx) {
  CLI::App app{"Ura: a tamper-evident, encrypted records store for police intelligence"};
  app.require_subcommand(1);
  app.fallthrough();  // global options (--json, --data ...) may follow the command
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.add_option("--data", ctx.data_flag, "Store directory (else $URA_DATA, else ./ura-data)");
  app.add_flag("--json", ctx.json, "Machine-readable JSON output");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "File holding the store passphrase (else $URA_PASSPHRASE, else a prompt)");
  app.add_option("--key-file", ctx.key_file, "Key file that unlocks the store instead of a passphrase");
  app.add_option("--reason", ctx.reason,
                 "Why police data is consulted (a case number or free text); required by search, get, export, "
                 "journal cat and audit, and written to the audit journal");
  app.add_option("--as", ctx.as_user,
                 "Consult (search, get) as this Ura user: their password ($URA_USER_PASSWORD or a prompt) and "
                 "TOTP code ($URA_TOTP or a prompt) are checked and their role, clearance and cases apply");

  int exit_code = kExitOk;
  RegisterInitCommand(app, ctx, exit_code);
  RegisterJournalCommands(app, ctx, exit_code);
  RegisterHeadCommand(app, ctx, exit_code);
  RegisterVerifyCommand(app, ctx, exit_code);
  RegisterProofCommands(app, ctx, exit_code);
  RegisterKeyCommands(app, ctx, exit_code);
  RegisterIngestCommands(app, ctx, exit_code);
  RegisterGenerateCommand(app, ctx, exit_code);
  RegisterSearchCommands(app, ctx, exit_code);
  RegisterResolveCommands(app, ctx, exit_code);
  RegisterGraphCommands(app, ctx, exit_code);
  RegisterAmlCommands(app, ctx, exit_code);
  RegisterAuditCommand(app, ctx, exit_code);
  RegisterUserCommands(app, ctx, exit_code);
  RegisterServeCommand(app, ctx, exit_code);
  RegisterExchangeCommands(app, ctx, exit_code);
  RegisterBackupCommand(app, ctx, exit_code);
  RegisterRestoreCommand(app, ctx, exit_code);
  RegisterWitnessCommands(app, ctx, exit_code);
  RegisterDrillCommand(app, ctx, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e, *ctx.out, *ctx.err);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace ura::cli
