// The audit journal: who consulted, changed, disclosed or erased what, when, from where, why
// and with what outcome (EU Directive 2016/680 Art. 25; CJIS). Every audit record is an entry
// of the store's journal (type 32): encrypted, hash-chained and signed like the data it is
// about, so it cannot be edited or dropped without `ura verify` seeing it, and it is written
// (durably) before the data it records is shown -- if it cannot be written, nothing is shown.
//
// Consultations need a justification (a case number or free text). This module is the record
// format, its canonical JSON, the justification rule and reading records back from the journal.
// Access control (users, roles, clearance) comes with the server (issue 5); on the command line
// the user is the operating-system account ("cli:NAME") holding the store's key.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "journal/journal.h"
#include "journal/keys.h"

namespace ura::audit {

// Journal entry type of an audit record (payload: EncodeRecord).
inline constexpr uint32_t kEntryTypeAudit = 32;
// Object ids listed in one record; more are counted in objects_total (an export of a million
// entities is one record saying so, not a million ids).
inline constexpr size_t kMaxObjects = 1000;

struct Record {
  int64_t time_us = 0;
  std::string user;                  // "cli:alice" on the command line
  std::string client;                // "local", or the client's address
  std::string action;                // search, view, history, export, journal-read, ingest, reindex, audit-read ...
  std::vector<std::string> objects;  // entity ids consulted or changed (at most kMaxObjects)
  uint64_t objects_total = 0;        // how many objects the action touched in all
  std::string outcome = "ok";        // ok | denied | failed
  std::string justification;         // why (required for consultations)
  std::string detail;                // the query, the file ingested, the filter ...

  // Adds an object id, counting it; lists at most kMaxObjects.
  void AddObject(std::string id);
};

// Canonical JSON (keys sorted, no white space).
std::string EncodeRecord(const Record& record);
// kInvalidArgument naming the problem for anything EncodeRecord would not write.
Result<Record> DecodeRecord(std::string_view json);

// A justification is 3 to 500 characters of valid UTF-8 without control characters, not
// only spaces. kInvalidArgument saying what is needed otherwise.
Status CheckJustification(std::string_view justification);

// Appends the records to the journal (one commit) and returns when they are durable.
Status Append(journal::Journal& journal, const std::vector<Record>& records);

struct Filter {
  std::string user;    // exact; empty: any
  std::string entity;  // an id among the objects; empty: any
  std::string action;  // exact; empty: any
  int64_t since_us = 0;
};

// Calls `fn` for every audit record in the journal matching `filter`, oldest first, with its
// journal sequence. Reads (and checks) the whole journal.
Status ForEach(FileSystem& fs, const journal::StorePaths& paths, const journal::Keyring& keyring, const Filter& filter,
               const std::function<Status(uint64_t sequence, const Record&)>& fn);

}  // namespace ura::audit
