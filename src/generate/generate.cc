#include "generate/generate.h"

#include <charconv>
#include <cmath>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr const char* kSubdirs[] = {"border", "cases", "vehicles", "wanted", "fiu", "truth"};

Status CreateDirs(FileSystem& fs, const std::string& path) {
  // mkdir -p: each prefix in turn.
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
    if (!prefix.empty() && !fs.Exists(prefix)) URA_RETURN_IF_ERROR(fs.CreateDir(prefix));
    if (slash == std::string::npos) break;
  }
  return Status::Ok();
}

std::string FormatDouble(double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

void AppendCounts(std::string& out, const std::map<std::string, uint64_t>& counts) {
  out += "{";
  bool first = true;
  for (const auto& [name, count] : counts) {
    if (!first) out += ", ";
    first = false;
    AppendJsonString(out, name);
    out += ": " + std::to_string(count);
  }
  out += "}";
}

Status WriteSmallFile(FileSystem& fs, const std::string& path, std::string_view content) {
  URA_ASSIGN_OR_RETURN(auto out, OutputFile::Create(fs, path));
  out->Write(content);
  return out->Close();
}

Status Validate(const GenerateOptions& o) {
  if (o.out_dir.empty()) return InvalidArgument("--out DIR is required");
  if (o.persons < kMinPersons || o.persons > kMaxPersons) {
    return InvalidArgument("--persons must be between " + std::to_string(kMinPersons) + " and " +
                           std::to_string(kMaxPersons) + ", got " + std::to_string(o.persons));
  }
  if (!(o.bad_rate >= 0 && o.bad_rate <= 0.5)) {
    return InvalidArgument("--bad-rate must be between 0 and 0.5, got " + FormatDouble(o.bad_rate));
  }
  if (!(o.reporting_threshold >= 100 && o.reporting_threshold <= 1e9)) {
    return InvalidArgument("--reporting-threshold must be between 100 and 1e9 EUR, got " +
                           FormatDouble(o.reporting_threshold));
  }
  return Status::Ok();
}

}  // namespace

Result<GenerateSummary> Generate(FileSystem& fs, const GenerateOptions& options) {
  URA_RETURN_IF_ERROR(Validate(options));
  const std::string& dir = options.out_dir;
  if (fs.Exists(dir)) {
    URA_ASSIGN_OR_RETURN(auto entries, fs.ListDir(dir));
    if (!entries.empty()) {
      return AlreadyExists(dir +
                           " is not empty; ura generate writes into a new or empty directory");
    }
  }
  URA_RETURN_IF_ERROR(CreateDirs(fs, dir));
  for (const char* sub : kSubdirs) URA_RETURN_IF_ERROR(fs.CreateDir(JoinPath(dir, sub)));

  WorldOptions world_options;
  world_options.persons = options.persons;
  world_options.seed = options.seed;
  world_options.export_day = DaysFromCivil(2026, 4, 1);
  World world = BuildWorld(world_options);

  GenerateSummary summary;
  summary.options = options;
  std::vector<BadRow> bad_rows;
  EntityTally totals;
  URA_ASSIGN_OR_RETURN(auto truth_persons,
                       OutputFile::Create(fs, JoinPath(dir, "truth/persons.csv")));
  truth_persons->Write("true_person_id,source,source_record_key\n");

  SourceContext ctx;
  ctx.fs = &fs;
  ctx.out_dir = dir;
  ctx.world = &world;
  ctx.seed = options.seed;
  ctx.bad_rate = options.bad_rate;
  ctx.threshold_cents = std::llround(options.reporting_threshold * 100);
  ctx.truth_persons = truth_persons.get();
  ctx.bad_rows = &bad_rows;
  ctx.totals = &totals;

  LaunderingSummary laundering;
  for (auto writer : {WriteBorder, WriteCases, WriteVehicles, WriteWanted, WriteAccounts}) {
    URA_ASSIGN_OR_RETURN(FileStats stats, writer(ctx));
    summary.files.push_back(std::move(stats));
  }
  URA_ASSIGN_OR_RETURN(FileStats txn_stats, WriteTransactions(ctx, laundering));
  summary.files.push_back(std::move(txn_stats));
  uint64_t truth_records = 0;
  for (const FileStats& f : summary.files) {
    auto it = f.entities.find("Person");
    if (it != f.entities.end()) truth_records += it->second;
  }
  URA_RETURN_IF_ERROR(truth_persons->Close());

  std::string groups = "group_id,true_person_id,role\n";
  for (size_t g = 0; g < world.groups.size(); ++g) {
    for (uint32_t m : world.groups[g].members) {
      groups += "G-" + Padded(g + 1, 5) + "," + TruePersonId(m) + "," +
                RoleName(world.persons[m].role) + "\n";
    }
    summary.group_members += world.groups[g].members.size();
  }
  URA_RETURN_IF_ERROR(WriteSmallFile(fs, JoinPath(dir, "truth/groups.csv"), groups));

  std::string bad = "source_file,row_number,kind\n";
  for (const BadRow& row : bad_rows) {
    bad += row.file + "," + std::to_string(row.row) + "," + row.kind + "\n";
  }
  URA_RETURN_IF_ERROR(WriteSmallFile(fs, JoinPath(dir, "truth/bad_rows.csv"), bad));

  totals.Finish();
  summary.entities_by_source = totals.CountsBySource();
  summary.groups = world.groups.size();
  summary.patterns = laundering.patterns;
  summary.laundering_transactions = laundering.transactions;
  summary.background_transactions = laundering.background;
  summary.truth_person_records = truth_records;
  URA_RETURN_IF_ERROR(
      WriteSmallFile(fs, JoinPath(dir, "truth/summary.json"), SummaryToJson(summary)));
  return summary;
}

std::string SummaryToJson(const GenerateSummary& s) {
  std::string out = "{\n";
  out += "  \"seed\": " + std::to_string(s.options.seed) + ",\n";
  out += "  \"persons\": " + std::to_string(s.options.persons) + ",\n";
  out += "  \"bad_rate\": " + FormatDouble(s.options.bad_rate) + ",\n";
  out += "  \"reporting_threshold\": " + FormatDouble(s.options.reporting_threshold) + ",\n";
  out += "  \"files\": {\n";
  for (size_t i = 0; i < s.files.size(); ++i) {
    const FileStats& f = s.files[i];
    out += "    ";
    AppendJsonString(out, f.path);
    out += ": {\"rows\": " + std::to_string(f.rows) +
           ", \"bad_rows\": " + std::to_string(f.bad_rows) + ", \"bad_by_kind\": ";
    AppendCounts(out, f.bad_by_kind);
    out += ", \"entities\": ";
    AppendCounts(out, f.entities);
    out += i + 1 < s.files.size() ? "},\n" : "}\n";
  }
  out += "  },\n";
  out += "  \"entities_by_source\": {";
  bool first = true;
  for (const auto& [source, counts] : s.entities_by_source) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    AppendJsonString(out, source);
    out += ": ";
    AppendCounts(out, counts);
  }
  out += "\n  },\n";
  out += "  \"truth_person_records\": " + std::to_string(s.truth_person_records) + ",\n";
  out += "  \"groups\": " + std::to_string(s.groups) + ",\n";
  out += "  \"group_members\": " + std::to_string(s.group_members) + ",\n";
  out += "  \"patterns\": ";
  AppendCounts(out, s.patterns);
  out += ",\n";
  out += "  \"laundering_transactions\": " + std::to_string(s.laundering_transactions) + ",\n";
  out += "  \"background_transactions\": " + std::to_string(s.background_transactions) + "\n";
  out += "}\n";
  return out;
}

std::string SummaryToText(const GenerateSummary& s) {
  std::string out = "wrote " + s.options.out_dir + " (seed " + std::to_string(s.options.seed) +
                    ", " + std::to_string(s.options.persons) + " persons, bad-row rate " +
                    FormatDouble(s.options.bad_rate) + ")\n";
  auto pad = [](std::string text, size_t width, bool right) {
    if (text.size() >= width) return text;
    std::string fill(width - text.size(), ' ');
    return right ? fill + text : text + fill;
  };
  out += "  " + pad("file", 26, false) + pad("rows", 12, true) + pad("bad rows", 10, true) + "\n";
  for (const FileStats& f : s.files) {
    out += "  " + pad(f.path, 26, false) + pad(std::to_string(f.rows), 12, true) +
           pad(std::to_string(f.bad_rows), 10, true) + "\n";
  }
  uint64_t patterns = 0;
  for (const auto& [typology, count] : s.patterns) patterns += count;
  out += "  truth: " + std::to_string(s.truth_person_records) + " person records, " +
         std::to_string(s.groups) + " groups (" + std::to_string(s.group_members) + " members), " +
         std::to_string(patterns) + " laundering patterns (" +
         std::to_string(s.laundering_transactions) + " transactions)\n";
  return out;
}

}  // namespace ura::generate
