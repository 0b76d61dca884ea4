// The thresholds file, loading payments from the index, and alerts as journal entries.
#include "aml/aml.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "journal/journal_reader.h"
#include "model/dates.h"

namespace ura::aml {
namespace {

std::string At(std::string_view file, const toml::source_region& region) {
  if (region.begin.line == 0) return std::string(file);
  return std::string(file) + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

std::string Num(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

// Reads one number setting into `out` if present, within [lo, hi].
template <typename T>
Status Number(const toml::table& aml, std::string_view file, const char* key, double lo, double hi,
              double scale, T& out) {
  const toml::node* node = aml.get(key);
  if (node == nullptr) return Status::Ok();
  std::optional<double> value = node->value<double>();
  if (!value || node->is_boolean() || node->is_string()) {
    return InvalidArgument(At(file, node->source()) + ": [aml] " + key + " must be a number");
  }
  if (*value < lo || *value > hi || !std::isfinite(*value)) {
    return InvalidArgument(At(file, node->source()) + ": [aml] " + key + " = " + Num(*value) +
                           " is out of range: give a value from " + Num(lo) + " to " + Num(hi));
  }
  if constexpr (std::is_integral_v<T>) {
    out = static_cast<T>(std::llround(*value * scale));
  } else {
    out = static_cast<T>(*value * scale);
  }
  return Status::Ok();
}

// Amount text ("9500", "9500.5") to cents; nullopt if it is not a plain decimal.
std::optional<int64_t> ParseAmount(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0)
    return std::nullopt;
  return std::llround(value * 100);
}

// Payments are compared by the day; a value that is no date is no day.
int32_t Day(std::string_view iso) {
  const int32_t day = model::DayOfDate(iso);
  return day == model::kNoDay ? kNoSince : day;
}

std::string First(const model::Entity& e, const char* property) {
  auto it = e.properties.find(property);
  return it == e.properties.end() || it->second.empty() ? "" : it->second.front().value;
}

nlohmann::json MarkingJson(const model::Marking& m) {
  nlohmann::json j = {{"handling", std::string(model::HandlingCodeName(m.handling))},
                      {"classification", std::string(model::ClassificationName(m.classification))},
                      {"reliability", std::string(1, m.reliability)},
                      {"accuracy", m.accuracy}};
  if (!m.cases.empty()) j["cases"] = m.cases;
  return j;
}

Result<model::Marking> MarkingOf(const nlohmann::json& j) {
  model::Marking m;
  URA_ASSIGN_OR_RETURN(m.handling, model::ParseHandlingCode(j.at("handling").get<std::string>()));
  URA_ASSIGN_OR_RETURN(m.classification,
                       model::ParseClassification(j.at("classification").get<std::string>()));
  URA_ASSIGN_OR_RETURN(m.reliability,
                       model::ParseReliability(j.at("reliability").get<std::string>()));
  URA_ASSIGN_OR_RETURN(m.accuracy,
                       model::ParseAccuracy(std::to_string(j.at("accuracy").get<int>())));
  if (j.contains("cases")) {
    URA_ASSIGN_OR_RETURN(m.cases,
                         model::NormaliseCases(j.at("cases").get<std::vector<std::string>>()));
  }
  return m;
}

}  // namespace

Result<Options> ParseOptions(std::string_view toml_text, std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(At(file_name, e.source()) +
                           ": not valid TOML: " + std::string(e.description()));
  }
  Options o;
  for (const auto& [key, node] : root) {
    if (key.str() != "aml" || !node.is_table()) {
      return InvalidArgument(At(file_name, node.source()) + ": unknown setting '" +
                             std::string(key.str()) +
                             "': the thresholds go in one table [aml] (see docs/cli.md, ura aml)");
    }
  }
  const toml::table* aml = root["aml"].as_table();
  if (aml == nullptr) return o;
  static const std::set<std::string_view> kKeys = {"window_days",
                                                   "min_amount_eur",
                                                   "min_fan",
                                                   "min_legs",
                                                   "forward_min",
                                                   "max_cycle_length",
                                                   "reporting_threshold_eur",
                                                   "structuring_margin",
                                                   "structuring_window_days",
                                                   "structuring_min_count",
                                                   "eur_rates"};
  for (const auto& [key, node] : *aml) {
    if (!kKeys.contains(key.str())) {
      return InvalidArgument(At(file_name, node.source()) + ": unknown setting [aml] " +
                             std::string(key.str()) +
                             " (see docs/cli.md, ura aml, for the settings)");
    }
  }
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "window_days", 1, 366, 1, o.window_days));
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "min_amount_eur", 0, 1e9, 100, o.min_amount_cents));
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "min_fan", 2, 1000, 1, o.min_fan));
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "min_legs", 2, 1000, 1, o.min_legs));
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "forward_min", 0.01, 1, 1, o.forward_min));
  URA_RETURN_IF_ERROR(Number(*aml, file_name, "max_cycle_length", 3, 50, 1, o.max_cycle_length));
  URA_RETURN_IF_ERROR(
      Number(*aml, file_name, "reporting_threshold_eur", 1, 1e9, 100, o.reporting_threshold_cents));
  URA_RETURN_IF_ERROR(
      Number(*aml, file_name, "structuring_margin", 0.001, 0.5, 1, o.structuring_margin));
  URA_RETURN_IF_ERROR(
      Number(*aml, file_name, "structuring_window_days", 1, 366, 1, o.structuring_window_days));
  URA_RETURN_IF_ERROR(
      Number(*aml, file_name, "structuring_min_count", 2, 1000, 1, o.structuring_min_count));
  if (const toml::node* rates = aml->get("eur_rates")) {
    const toml::table* table = rates->as_table();
    if (table == nullptr) {
      return InvalidArgument(At(file_name, rates->source()) +
                             ": [aml] eur_rates must be a table of CURRENCY = rate");
    }
    for (const auto& [currency, rate] : *table) {
      std::optional<double> value = rate.value<double>();
      if (!value || rate.is_string() || rate.is_boolean() || !(*value > 0) ||
          !std::isfinite(*value)) {
        return InvalidArgument(At(file_name, rate.source()) + ": [aml.eur_rates] " +
                               std::string(currency.str()) +
                               " must be a positive number (EUR per unit)");
      }
      o.eur_rates[std::string(currency.str())] = *value;
    }
  }
  return o;
}

Result<Transactions> LoadTransactions(index::Index& index, const model::SchemaRegistry& registry,
                                      const Options& options) {
  Transactions out;
  URA_RETURN_IF_ERROR(index.ForEach(registry, "BankAccount", [&](const model::Entity& e) -> Status {
    std::vector<std::string> holders = e.Values("holder");
    if (!holders.empty()) out.holders[e.id] = std::move(holders);
    return Status::Ok();
  }));
  URA_RETURN_IF_ERROR(index.ForEach(registry, "Payment", [&](const model::Entity& e) -> Status {
    Transaction t;
    t.id = e.id;
    t.payer = First(e, "payerAccount");
    if (t.payer.empty()) t.payer = First(e, "payer");
    t.beneficiary = First(e, "beneficiaryAccount");
    if (t.beneficiary.empty()) t.beneficiary = First(e, "beneficiary");
    t.day = Day(First(e, "date"));
    if (t.day == kNoSince) t.day = Day(First(e, "startDate"));
    std::optional<int64_t> cents = ParseAmount(First(e, "amountEur"));
    if (!cents) {
      std::string currency = First(e, "currency");
      if (currency.empty()) currency = "EUR";
      auto rate = options.eur_rates.find(currency);
      std::optional<int64_t> amount = ParseAmount(First(e, "amount"));
      if (rate != options.eur_rates.end() && amount)
        cents = std::llround(static_cast<double>(*amount) * rate->second);
    }
    if (t.payer.empty() || t.beneficiary.empty() || t.payer == t.beneficiary || t.day == kNoSince ||
        !cents) {
      ++out.skipped;
      return Status::Ok();
    }
    t.cents = *cents;
    t.marking = e.marking;
    out.payments.push_back(std::move(t));
    return Status::Ok();
  }));
  return out;
}

std::string EncodeAlert(const Alert& a) {
  nlohmann::json j = {{"v", 1},
                      {"id", a.id},
                      {"typology", a.typology},
                      {"accounts", a.accounts},
                      {"owners", a.owners},
                      {"transactions", a.transactions},
                      {"total_cents", a.total_cents},
                      {"first_day", a.first_day},
                      {"last_day", a.last_day},
                      {"score", a.score},
                      {"explanation", a.explanation},
                      {"marking", MarkingJson(a.marking)},
                      {"time_us", a.time_us}};
  return j.dump();
}

Result<Alert> DecodeAlert(std::string_view text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.at("v").get<int>() != 1)
      return InvalidArgument("AML alert: unknown version " + j.at("v").dump());
    Alert a;
    a.id = j.at("id").get<std::string>();
    a.typology = j.at("typology").get<std::string>();
    a.accounts = j.at("accounts").get<std::vector<std::string>>();
    a.owners = j.at("owners").get<std::vector<std::string>>();
    a.transactions = j.at("transactions").get<std::vector<std::string>>();
    a.total_cents = j.at("total_cents").get<int64_t>();
    a.first_day = j.at("first_day").get<int32_t>();
    a.last_day = j.at("last_day").get<int32_t>();
    a.score = j.at("score").get<double>();
    a.explanation = j.at("explanation").get<std::string>();
    URA_ASSIGN_OR_RETURN(a.marking, MarkingOf(j.at("marking")));
    a.time_us = j.at("time_us").get<int64_t>();
    return a;
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("AML alert does not decode: ") + e.what());
  }
}

Result<std::vector<Alert>> LoadAlerts(FileSystem& fs, const journal::StorePaths& paths,
                                      const journal::Keyring& keyring) {
  std::vector<Alert> alerts;
  std::set<std::string> seen;
  URA_RETURN_IF_ERROR(journal::ReadEntriesOfTypes(
      fs, paths, keyring, {kEntryTypeAlert}, [&](const journal::DecodedEntry& e) -> Status {
        Result<Alert> a = DecodeAlert(AsString(e.payload));
        if (!a.ok()) {
          return Corruption("AML alert entry " + std::to_string(e.sequence) +
                                " does not decode: " + a.status().message(),
                            {.sequence = e.sequence, .kind = "aml-alert"});
        }
        if (seen.insert(a->id).second) alerts.push_back(std::move(*a));
        return Status::Ok();
      }));
  return alerts;
}

nlohmann::json AlertJson(const Alert& a) {
  return {{"id", a.id},
          {"typology", a.typology},
          {"score", a.score},
          {"first_date", model::DateOfDay(a.first_day)},
          {"last_date", model::DateOfDay(a.last_day)},
          {"total_eur", static_cast<double>(a.total_cents) / 100.0},
          {"accounts", a.accounts},
          {"owners", a.owners},
          {"transactions", a.transactions},
          {"explanation", a.explanation}};
}

Result<AlertsAnswer> ListAlerts(FileSystem& fs, const journal::StorePaths& paths,
                                const journal::Keyring& keyring, const access::Principal& who,
                                const std::string& typology, size_t limit) {
  URA_RETURN_IF_ERROR(access::Require(who, access::Action::kConsult));
  URA_ASSIGN_OR_RETURN(std::vector<Alert> stored, LoadAlerts(fs, paths, keyring));
  AlertsAnswer answer;
  answer.record.action = "aml-alerts";
  answer.record.detail = typology.empty() ? "all typologies" : typology;
  for (Alert& a : stored) {
    if (answer.alerts.size() == limit) break;
    if (!typology.empty() && a.typology != typology) continue;
    if (!access::MaySee(who, a.marking)) continue;
    for (const std::string& id : a.transactions) answer.record.AddObject(id);
    for (const std::string& id : a.accounts) answer.record.AddObject(id);
    for (const std::string& id : a.owners) answer.record.AddObject(id);
    answer.alerts.push_back(std::move(a));
  }
  return answer;
}

}  // namespace ura::aml
