#include "audit/audit.h"
#include "base/bytes.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "journal/journal_reader.h"

namespace ura::audit {

void Record::AddObject(std::string id) {
  ++objects_total;
  if (objects.size() < kMaxObjects) objects.push_back(std::move(id));
}

std::string EncodeRecord(const Record& r) {
  // nlohmann's object keeps keys sorted: the same record always gives the same bytes.
  nlohmann::json j = {{"action", r.action},
                      {"client", r.client},
                      {"detail", r.detail},
                      {"justification", r.justification},
                      {"objects", r.objects},
                      {"objects_total", r.objects_total},
                      {"outcome", r.outcome},
                      {"time_us", r.time_us},
                      {"user", r.user},
                      {"v", 1}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Record> DecodeRecord(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("audit record: not a JSON object");
  if (!j.contains("v") || j["v"] != 1) return InvalidArgument("audit record: unknown version");
  Record r;
  auto text_field = [&](const char* key, std::string& out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return InvalidArgument(std::string("audit record: '") + key + "' missing");
    out = it->get<std::string>();
    return Status::Ok();
  };
  URA_RETURN_IF_ERROR(text_field("action", r.action));
  URA_RETURN_IF_ERROR(text_field("client", r.client));
  URA_RETURN_IF_ERROR(text_field("detail", r.detail));
  URA_RETURN_IF_ERROR(text_field("justification", r.justification));
  URA_RETURN_IF_ERROR(text_field("outcome", r.outcome));
  URA_RETURN_IF_ERROR(text_field("user", r.user));
  auto objects = j.find("objects");
  if (objects == j.end() || !objects->is_array()) return InvalidArgument("audit record: 'objects' missing");
  for (const auto& o : *objects) {
    if (!o.is_string()) return InvalidArgument("audit record: an object id is not a string");
    r.objects.push_back(o.get<std::string>());
  }
  auto total = j.find("objects_total");
  auto time = j.find("time_us");
  if (total == j.end() || !total->is_number_unsigned()) return InvalidArgument("audit record: 'objects_total' missing");
  if (time == j.end() || !time->is_number_integer()) return InvalidArgument("audit record: 'time_us' missing");
  r.objects_total = total->get<uint64_t>();
  r.time_us = time->get<int64_t>();
  if (r.objects.size() > kMaxObjects || r.objects_total < r.objects.size()) {
    return InvalidArgument("audit record: inconsistent object counts");
  }
  return r;
}

Status CheckJustification(std::string_view justification) {
  const std::string hint =
      " (give the case number or the reason for this consultation, e.g. --reason 'case 2026/0142': the law "
      "requires it to be logged)";
  size_t letters = 0;
  for (char c : justification) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return InvalidArgument("the justification contains control characters" + hint);
    if (c != ' ') ++letters;
  }
  if (letters < 3) return InvalidArgument("a justification is required" + hint);
  if (justification.size() > 500) return InvalidArgument("the justification is longer than 500 bytes" + hint);
  if (!IsValidUtf8(justification)) return InvalidArgument("the justification is not valid UTF-8" + hint);
  return Status::Ok();
}

Status Append(journal::Journal& journal, const std::vector<Record>& records) {
  if (records.empty()) return Status::Ok();
  std::vector<std::string> payloads;
  payloads.reserve(records.size());
  for (const Record& r : records) payloads.push_back(EncodeRecord(r));
  std::vector<journal::EntryInput> entries;
  entries.reserve(payloads.size());
  for (const std::string& p : payloads) entries.push_back({kEntryTypeAudit, AsBytes(p)});
  return journal.Append(entries).status();
}

Status ForEach(FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring, const Filter& filter,
               const std::function<Status(uint64_t, const Record&)>& fn) {
  return journal::ReadEntries(fs, paths, keyring, 0, 0, [&](const journal::DecodedEntry& e) -> Status {
    if (e.type != kEntryTypeAudit) return Status::Ok();
    auto record = DecodeRecord(AsString(e.payload));
    if (!record.ok()) {
      return Corruption("journal entry " + std::to_string(e.sequence) + " is not a valid audit record: " +
                            record.status().message(),
                        {"", std::nullopt, e.sequence, "audit"});
    }
    if (!filter.user.empty() && record->user != filter.user) return Status::Ok();
    if (!filter.action.empty() && record->action != filter.action) return Status::Ok();
    if (record->time_us < filter.since_us) return Status::Ok();
    if (!filter.entity.empty() &&
        std::find(record->objects.begin(), record->objects.end(), filter.entity) == record->objects.end()) {
      return Status::Ok();
    }
    return fn(e.sequence, *record);
  });
}

}  // namespace ura::audit
