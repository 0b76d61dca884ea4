// Money-laundering typologies on reported transactions (issue 8): temporal detection of the
// seven AMLSim typologies -- fan-out, fan-in, cycle, scatter-gather, gather-scatter,
// bipartite, stack -- and of structuring (repeated amounts just below the reporting threshold
// within a few days), on Payment entities between bank accounts (and the accounts' holders).
//
// Detection (all windows in days, amounts in EUR cents; Scan's comments give the details).
// Typologies are tried from the most specific to the least, and a transaction that is part of
// one alert is not used by a later one, so a scatter-gather is not also reported as a fan-out
// and a fan-in:
//   structuring     >= structuring_min_count payments into one account, each in
//                   [threshold * (1 - margin), threshold), within structuring_window_days
//   cycle           a chain of >= 3 payments, each later than the one before and forwarding
//                   forward_min..1 of it, that comes back to its first payer within window_days
//   scatter_gather  one account pays >= min_legs intermediaries, each of which forwards
//                   forward_min..1 of it to one and the same sink later, within window_days
//   stack           two layers of complete bipartite payments (>= 2 x 2 each), the second
//                   paid by the first's beneficiaries after it, within window_days
//   bipartite       >= 2 payers each paying the same >= 2 beneficiaries (>= 6 payments)
//   gather_scatter  an account receives from >= 2 payers, then pays >= 2 beneficiaries
//                   forward_min..1 of what came in, within window_days
//   fan_out/fan_in  one account pays (is paid by) >= min_fan distinct accounts within
//                   window_days
// Every typology but structuring looks only at payments of at least min_amount_cents.
//
// An alert's id is a digest of its typology and transaction ids, so scanning again finds the
// same ids and stores nothing twice. Alerts are journal entries (type kEntryTypeAlert).
// Pure functions except LoadTransactions and LoadAlerts; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "access/policy.h"
#include "audit/audit.h"
#include "base/file_system.h"
#include "base/status.h"
#include "index/index.h"
#include "journal/keys.h"
#include "model/entity.h"

namespace ura::aml {

// Journal entry type of an AML alert (payload: EncodeAlert).
inline constexpr uint32_t kEntryTypeAlert = 72;

struct Options {
  int32_t window_days = 30;
  int64_t min_amount_cents = 100000;  // 1,000 EUR
  uint32_t min_fan = 4;
  uint32_t min_legs = 3;  // scatter-gather intermediaries
  double forward_min = 0.8;
  uint32_t max_cycle_length = 10;
  int64_t reporting_threshold_cents = 1000000;  // 10,000 EUR
  double structuring_margin = 0.1;
  int32_t structuring_window_days = 10;
  uint32_t structuring_min_count = 3;
  // EUR per unit of other currencies; payments in a currency not listed are skipped.
  std::map<std::string, double> eur_rates = {{"EUR", 1.0}, {"ALL", 0.01}, {"TRY", 1.0 / 35}};
};

// Reads the thresholds from TOML text (see docs/cli.md "ura aml"): one table [aml] with any of
// window_days, min_amount_eur, min_fan, min_legs, forward_min, max_cycle_length,
// reporting_threshold_eur, structuring_margin, structuring_window_days, structuring_min_count,
// and a table [aml.eur_rates] of CURRENCY = rate. Keys left out keep their defaults; an
// unknown key, a wrong type or a value out of range is kInvalidArgument naming the file, line
// and key and the allowed range.
Result<Options> ParseOptions(std::string_view toml_text, std::string_view file_name);

struct Transaction {
  std::string id;                  // the Payment entity's id
  std::string payer, beneficiary;  // account entity ids (or parties when no account is named)
  int32_t day = 0;                 // days since 1970-01-01
  int64_t cents = 0;               // in EUR
  model::Marking marking;
};

// Every Payment with a date, an amount, a known currency and two different accounts; how
// many were skipped for lacking one of these. Account holders from BankAccount.holder.
struct Transactions {
  std::vector<Transaction> payments;
  std::map<std::string, std::vector<std::string>> holders;  // account id -> holder ids
  uint64_t skipped = 0;
};
Result<Transactions> LoadTransactions(index::Index& index, const model::SchemaRegistry& registry,
                                      const Options& options);

struct Alert {
  std::string id;  // "AML-" and 16 hex digits
  std::string typology;
  std::vector<std::string> accounts;      // sorted
  std::vector<std::string> owners;        // the accounts' holders, sorted
  std::vector<std::string> transactions;  // sorted
  int64_t total_cents = 0;
  int32_t first_day = 0, last_day = 0;
  double score = 0;  // 0..1: how far past the thresholds
  std::string explanation;
  model::Marking marking;  // the strictest of its payments': who may see the alert
  int64_t time_us = 0;     // when it was stored
  bool operator==(const Alert&) const = default;
};

// The alerts in `payments` (any order) whose last payment is on or after `since_day`
// (kNoSince: all); payments up to window_days before it are still looked at. Holders (may be
// empty) fill the alerts' owners. Sorted by first day, then id.
inline constexpr int32_t kNoSince = INT32_MIN;
std::vector<Alert> Scan(const std::vector<Transaction>& payments, const Options& options,
                        int32_t since_day = kNoSince,
                        const std::map<std::string, std::vector<std::string>>& holders = {});

// Canonical JSON (keys sorted) with "v":1; DecodeAlert: kInvalidArgument naming the field.
std::string EncodeAlert(const Alert& alert);
Result<Alert> DecodeAlert(std::string_view json);

// Every alert stored in the journal, oldest first (an id stored twice is listed once).
Result<std::vector<Alert>> LoadAlerts(FileSystem& fs, const journal::StorePaths& paths,
                                      const journal::Keyring& keyring);

// An alert for people and the API: id, typology, score, first_date, last_date, total_eur,
// accounts, owners, transactions, explanation.
nlohmann::json AlertJson(const Alert& alert);

// The stored alerts `who` may see (every payment's marking allows it: MaySee on the
// strictest), of `typology` unless empty, oldest first, at most `limit`; and the audit record
// (action "aml-alerts") listing the payments, accounts and owners shown. kPermissionDenied if
// the principal may not consult.
struct AlertsAnswer {
  std::vector<Alert> alerts;
  audit::Record record;
};
Result<AlertsAnswer> ListAlerts(FileSystem& fs, const journal::StorePaths& paths,
                                const journal::Keyring& keyring, const access::Principal& who,
                                const std::string& typology, size_t limit);

}  // namespace ura::aml
