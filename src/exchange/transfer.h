// Export to and import from a partner force, with the authorisation rules applied: the
// service the command line and the API call (issue 10). Pure over the index and the exchange
// state: the caller opens the store, makes the audit record durable, then writes the package
// (export) or the entities and the receipt (import).
//
// Export: the selection (a search query or ids) is reduced to what the principal may see and
// may disclose (access::MayDisclose: liaison role, clearance, need-to-know, handling H0/H1; an
// H2 record also with the originator's permission recorded for that partner, MayDiscloseTo).
// Ids name entities one by one, so one that may not be disclosed refuses the whole export; a
// query's hits that may not be disclosed are left out and counted. Each entity leaves with its
// evaluation codes (reliability, accuracy), its classification and the stricter of its own and
// the package's handling code; need-to-know cases stay home; provenance is stripped to the
// requested level (none: no source names, record keys or times; source: source names only;
// full: all); references to entities not in the package are dropped.
//
// Import: the package is opened and checked (package.h); its entities are ingested as the
// source "partner:NAME", under ids prefixed "NAME:" (references rewritten alike), each marked
// with the stricter of its own and the package's handling code -- so H2 records cannot be
// disclosed onward without a recorded permission, H3 ones never, and H3 ones are need-to-know:
// the importer names the case(s) they belong to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "exchange/package.h"
#include "index/index.h"
#include "model/schema.h"

namespace ura::exchange {

struct ExportRequest {
  std::string partner;
  std::string query;             // either a search query ...
  std::vector<std::string> ids;  // ... or ids
  size_t limit = 100;            // hits of the query
  model::HandlingCode handling = model::HandlingCode::kH2;
  std::string purpose;
  ProvenanceLevel provenance = ProvenanceLevel::kNone;
  int64_t valid_us = 7LL * 24 * 3600 * 1000000;  // expiry after creation
};

struct ExportResult {
  Bytes package;
  PackageBody body;
  std::vector<std::string> ids;  // exported, in package order
  uint64_t withheld = 0;         // query hits that may not be disclosed
  audit::Record record;          // action "disclose": partner, package, purpose, every id
};

// kPermissionDenied if the principal may not disclose (or an id may not be disclosed),
// kNotFound for an unknown partner or an id that does not exist (or is hidden: the same
// answer), kInvalidArgument for a bad request (no purpose, nothing selected).
Result<ExportResult> Export(index::Index& index, const access::Principal& who, const ExchangeState& state,
                            const ExportRequest& request, int64_t now_us);

struct ImportPlan {
  const Partner* partner = nullptr;
  OpenedPackage package;
  std::vector<model::Entity> versions;  // new versions to write (unchanged ones left out)
  uint64_t entities = 0;                // in the package
  std::string receipt;                  // payload of the received-package entry (type 82)
  audit::Record record;                 // action "exchange-import"
};

// Opens, checks and maps a package; changes nothing. Refusals as package.h says; also
// kPermissionDenied if the principal may not receive, kFailedPrecondition for an H3 package
// without a case, kInvalidArgument for an entity that does not validate (naming it).
Result<ImportPlan> PrepareImport(ByteView file, index::Index& index, const access::Principal& who,
                                 const ExchangeState& state, const std::vector<std::string>& cases,
                                 const model::SchemaRegistry& registry, int64_t now_us);

// Whether `who` may send `entity` to `partner`: access::MayDisclose, or -- for an H2 record
// that fails only on its handling code -- a recorded permission of the originator to pass it on
// to that partner (its reference in `*reference`). H3 records never leave.
access::Decision MayDiscloseTo(const access::Principal& who, const model::Entity& entity, const ExchangeState& state,
                               const std::string& partner, std::string* reference = nullptr);

struct PermitPlan {
  std::string payload;   // the permit entry (type 83)
  audit::Record record;  // action "exchange-permit": the ids, the partner, the reference
};
// Checks a permission to pass H2 records on before it is journaled: the principal may
// disclose, each id is an H2 record it may see (kNotFound for a missing or hidden one,
// kInvalidArgument for H0/H1, which need none, kFailedPrecondition for H3, which never leaves).
Result<PermitPlan> PreparePermit(index::Index& index, const access::Principal& who, const ExchangeState& state,
                                 const Permit& permit);

// The id an entity of partner `partner` gets in this store.
std::string ImportedId(std::string_view partner, std::string_view id);

}  // namespace ura::exchange
