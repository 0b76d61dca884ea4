// `ura journal append` and `ura journal cat`: raw entries, for administrators and tests.
#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "cli/cli.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"

namespace ura::cli {

namespace {

constexpr size_t kBatchEntries = 1000;
constexpr size_t kBatchBytes = 8u << 20;

int Append(Context& ctx, const std::string& input) {
  std::istream* in = &std::cin;
  std::ifstream file;
  if (!input.empty() && input != "-") {
    file.open(input, std::ios::binary);
    if (!file) return ReportError(ctx, NotFound("cannot open input file " + input));
    in = &file;
  }
  auto secret = ObtainSecret(ctx);
  if (!secret.ok()) return ReportError(ctx, secret.status());
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  auto j = journal::Journal::OpenForWrite(ctx.DataDir(), *secret, options);
  if (!j.ok()) return ReportError(ctx, j.status());
  if ((*j)->recovery().tail_cut) {
    *ctx.err << "ura: recovered after a crash: " << (*j)->recovery().ToString() << "\n";
  }
  std::vector<std::string> lines;
  size_t batch_bytes = 0;
  uint64_t written = 0;
  journal::SignedHead head = (*j)->head();
  auto flush = [&]() -> Status {
    if (lines.empty()) return Status::Ok();
    std::vector<journal::EntryInput> entries;
    entries.reserve(lines.size());
    for (const auto& l : lines) entries.push_back({journal::kEntryTypeRaw, AsBytes(l)});
    URA_ASSIGN_OR_RETURN(auto result, (*j)->Append(entries));
    written += result.count;
    head = result.head;
    lines.clear();
    batch_bytes = 0;
    return Status::Ok();
  };
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (line.size() > journal::kMaxPayloadSize) {
      Status s = flush();
      return ReportError(ctx, InvalidArgument("line " + std::to_string(line_no) + " is " +
                                              std::to_string(line.size()) +
                                              " bytes; an entry may hold at most 16 MiB (" +
                                              std::to_string(written) + " earlier lines were stored" +
                                              (s.ok() ? ")" : ", then: " + s.message() + ")")));
    }
    batch_bytes += line.size();
    lines.push_back(std::move(line));
    if (lines.size() >= kBatchEntries || batch_bytes >= kBatchBytes) {
      Status s = flush();
      if (!s.ok()) {
        return ReportError(ctx, s.WithContext(std::to_string(written) + " entries were stored before the error"));
      }
    }
  }
  if (in->bad()) return ReportError(ctx, IoError("reading the input failed"));
  Status s = flush();
  if (!s.ok()) {
    return ReportError(ctx, s.WithContext(std::to_string(written) + " entries were stored before the error"));
  }
  if (Status health = (*j)->health(); !health.ok()) {
    // Everything was stored; the next writer will start the new segment.
    *ctx.err << "ura: warning: " << health.message() << "\n";
  }
  if (ctx.json) {
    nlohmann::json out = {{"entries_written", written},
                          {"tree_size", head.tree_size},
                          {"root_hash", HexEncode(head.root)}};
    *ctx.out << out.dump() << "\n";
  } else {
    *ctx.out << "wrote " << written << " entries; tree size " << head.tree_size << ", root "
             << HexEncode(head.root) << "\n";
  }
  return kExitOk;
}

int Cat(Context& ctx, uint64_t from, uint64_t to) {
  // Entries hold police data: reading them is a consultation, audited before anything is shown.
  if (Status s = audit::CheckJustification(ctx.reason); !s.ok()) return ReportError(ctx, s);
  auto secret = ObtainSecret(ctx);
  if (!secret.ok()) return ReportError(ctx, secret.status());
  journal::StorePaths paths = ctx.paths();
  journal::JournalOptions options;
  options.fs = ctx.fs;
  options.clock = ctx.clock;
  auto j = journal::Journal::OpenForWrite(ctx.DataDir(), *secret, options);
  if (!j.ok()) return ReportError(ctx, j.status());
  audit::Record record;
  record.time_us = ctx.clock->NowMicros();
  record.user = CliUser();
  record.client = "local";
  record.action = "journal-read";
  record.justification = ctx.reason;
  record.detail = "entries " + std::to_string(from) + " to " + (to == 0 ? std::string("the end") : std::to_string(to));
  if (Status s = audit::Append(**j, {record}); !s.ok()) return ReportError(ctx, s.WithContext("writing the audit record"));
  std::ostream& out = *ctx.out;
  Status s = journal::ReadEntries(*ctx.fs, paths, (*j)->keyring(), from, to, [&](const journal::DecodedEntry& e) {
    std::string_view text = AsString(e.payload);
    bool utf8 = simdjson::validate_utf8(text.data(), text.size());
    if (ctx.json) {
      nlohmann::json j = {{"seq", e.sequence},
                          {"type", e.type},
                          {"timestamp", FormatRfc3339(e.timestamp_us)},
                          {"key_id", e.key_id}};
      if (utf8) {
        j["payload"] = text;
      } else {
        j["payload_hex"] = HexEncode(e.payload);
      }
      out << j.dump() << "\n";
    } else {
      out << e.sequence << "\t" << e.type << "\t" << FormatRfc3339(e.timestamp_us) << "\t";
      if (utf8) {
        out << text << "\n";
      } else {
        out << "hex:" << HexEncode(e.payload) << "\n";
      }
    }
    return out ? Status::Ok() : IoError("writing the output failed");
  });
  if (!s.ok()) return ReportError(ctx, s);
  return kExitOk;
}

}  // namespace

void RegisterJournalCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* group = app.add_subcommand("journal", "Raw journal entries (administrators, tests)");
  group->require_subcommand(1);

  auto input = std::make_shared<std::string>("-");
  auto* append = group->add_subcommand("append", "Append each input line as one entry; durable on return");
  append->add_option("FILE", *input, "Input file, or - for standard input")->capture_default_str();
  append->callback([&ctx, &exit_code, input] { exit_code = Append(ctx, *input); });

  auto range = std::make_shared<std::pair<uint64_t, uint64_t>>(0, 0);
  auto* cat = group->add_subcommand("cat", "Decrypt and print entries");
  cat->add_option("--from", range->first, "First sequence number (default 0)");
  cat->add_option("--to", range->second, "Stop before this sequence number (default: all)");
  cat->callback([&ctx, &exit_code, range] { exit_code = Cat(ctx, range->first, range->second); });
}

}  // namespace ura::cli
