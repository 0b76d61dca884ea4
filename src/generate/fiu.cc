// fiu/accounts.csv and fiu/transactions.csv: the financial-intelligence unit's account register
// and the transactions reporting banks sent it, ','-delimited UTF-8. Background payments plus
// planted money-laundering patterns in the AMLSim typologies (fan-out, fan-in, cycle,
// scatter-gather, gather-scatter, bipartite, stack) and structuring just below the reporting
// threshold; truth/laundering.csv says which transaction belongs to which pattern.
#include <algorithm>

#include "generate/calendar.h"
#include "generate/sources.h"

namespace ura::generate {

namespace {

constexpr char kSource[] = "fiu";
constexpr char kAccountsFile[] = "fiu/accounts.csv";
constexpr char kTransactionsFile[] = "fiu/transactions.csv";
constexpr char kAccountsHeader[] =
    "iban,bank_name,bank_country,holder_name,holder_birth_date,holder_id_number,opened\n";
constexpr char kTransactionsHeader[] =
    "txn_id,value_date,amount,currency,payer_iban,payer_name,beneficiary_iban,beneficiary_name,"
    "channel,reference,reported_by\n";
enum AccountColumn {
  kIban,
  kBankName,
  kBankCountry,
  kHolderName,
  kHolderBirth,
  kHolderId,
  kOpened,
  kAccountColumns
};
enum TxnColumn {
  kTxnId,
  kValueDate,
  kAmount,
  kCurrency,
  kPayerIban,
  kPayerName,
  kBenIban,
  kBenName,
  kChannel,
  kReference,
  kReportedBy,
  kTxnColumns
};

// The name as the account's bank keeps it.
std::string HolderName(const World& world, const Account& a, Random& rng) {
  Country bank_country = Banks()[a.bank].country;
  if (a.holder_company != kNone) {
    const Company& c = world.companies[a.holder_company];
    if (bank_country == Country::kAL || bank_country == Country::kXK) {
      return rng.Chance(0.3) ? ToUpper(c.name) : c.name;
    }
    return ToUpper(FoldToAscii(c.name));
  }
  const Person& p = world.persons[a.holder_person];
  PersonName name = NameInScript(p, Script::kNative);
  if (p.culture == Culture::kAlbanian && rng.Chance(0.04)) {
    name.family = AlbanianSurnameVariant(name.family, rng);
  }
  switch (bank_country) {
    case Country::kAL:
    case Country::kXK: {
      uint64_t style = rng.Uniform(100);
      if (style < 40) return MrzName(name.given + " " + name.family, FoldStyle::kIcao);
      if (style < 75) return name.given + " " + name.family;
      return FoldToAscii(name.given + " " + name.family);
    }
    case Country::kTR: {
      bool turkish = p.culture == Culture::kTurkish;
      std::string full = name.given + " " + name.family;
      return turkish ? ToUpper(full, true) : MrzName(full, FoldStyle::kIcao);
    }
    case Country::kRS:
    case Country::kME:
    case Country::kBA: {
      PersonName serbian = NameInScript(p, Script::kSerbianLatin);
      std::string full = serbian.given + " " + serbian.family;
      return rng.Chance(0.3) ? ToUpper(full) : full;
    }
    case Country::kMK:
      return name.given + " " + name.family;
    default: {
      FoldStyle style = MrzStyle(bank_country);
      return rng.Chance(0.6)
                 ? MrzName(name.family + " " + name.given, style)
                 : FoldToAscii(name.family, style) + " " + FoldToAscii(name.given, style);
    }
  }
}

// Each account's holder name as its bank keeps it: the same in the register and in every
// transaction the bank reports.
std::vector<std::string> HolderNames(const World& world, uint64_t seed) {
  Random rng = Random::ForPhase(seed, "fiu-holder-names");
  std::vector<std::string> names;
  names.reserve(world.accounts.size());
  for (const Account& a : world.accounts) names.push_back(HolderName(world, a, rng));
  return names;
}

// ---- Accounts ----------------------------------------------------------------------------

class AccountsWriter {
 public:
  explicit AccountsWriter(SourceContext& ctx)
      : ctx_(ctx), world_(*ctx.world), random_(Random::ForPhase(ctx.seed, "fiu-accounts")) {}

  Result<FileStats> Write() {
    std::vector<uint32_t> order(world_.accounts.size());
    for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      int32_t oa = world_.accounts[a].opened, ob = world_.accounts[b].opened;
      return oa != ob ? oa < ob : a < b;
    });
    FileStats stats;
    stats.path = kAccountsFile;
    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kAccountsFile));
    out->Write(kAccountsHeader);
    BadRowPlanter planter(ctx_, stats, "fiu-accounts-bad");
    EntityTally tally;
    uint64_t fresh_serial = world_.account_serial;
    names_ = HolderNames(world_, ctx_.seed);
    std::vector<std::string> f;
    for (uint32_t index : order) {
      const Account& a = world_.accounts[index];
      Render(a, names_[index], f);
      bool company = a.holder_company != kNone;
      if (planter.Plant()) {
        std::vector<std::string> bad = f;
        bad[kIban] = MakeIban(Banks()[a.bank], fresh_serial++);
        const char* kind = planter.PickKind(
            {kUnbalancedQuote, kWrongColumnCount, kInvalidUtf8, kBadDate, kBadIban, kMissingKey});
        std::string_view k = kind;
        if (company && k == kBadDate) kind = kBadIban, k = kind;
        std::string line;
        if (k == kUnbalancedQuote) {
          line = BrokenQuoteLine(bad, kBankName, ',');
        } else if (k == kWrongColumnCount) {
          line = WrongColumnCountLine(bad, ',', planter.random());
        } else {
          if (k == kInvalidUtf8)
            bad[kHolderName] = InvalidUtf8Field(bad[kHolderName], planter.random());
          if (k == kBadDate) bad[kHolderBirth] = BadDate("YYYY-MM-DD", planter.random());
          if (k == kBadIban)
            bad[kIban] = CorruptIbanCheckDigits(bad[kIban], planter.random().Range(1, 96));
          if (k == kMissingKey) bad[kIban].clear();
          line = CsvLine(bad, ',');
        }
        out->Write(line);
        ++stats.rows;
        planter.Record(stats.rows, kind);
      }
      out->Write(CsvLine(f, ','));
      ++stats.rows;
      tally.Add("BankAccount", kSource, "account", {f[kIban]});
      if (company) {
        tally.Add("Company", kSource, "company", {f[kHolderId]});
      } else {
        tally.Add("Person", kSource, "person", {f[kIban]});
        WriteTruthPerson(ctx_, a.holder_person, kSource, f[kIban]);
      }
    }
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);
    return stats;
  }

 private:
  void Render(const Account& a, const std::string& holder_name, std::vector<std::string>& f) {
    const Bank& bank = Banks()[a.bank];
    f.assign(kAccountColumns, std::string());
    f[kIban] = a.iban;
    f[kBankName] = bank.name;
    f[kBankCountry] = Info(bank.country).alpha2;
    f[kHolderName] = holder_name;
    AppendDate(f[kOpened], a.opened, "YYYY-MM-DD");
    if (a.holder_company != kNone) {
      f[kHolderId] = world_.companies[a.holder_company].number;
      return;
    }
    const Person& p = world_.persons[a.holder_person];
    AppendDate(f[kHolderBirth], p.birth, "YYYY-MM-DD");
    uint64_t id = random_.Uniform(100);
    if (id < 80) {
      f[kHolderId] = std::string(p.personal_number.view());
    } else if (id < 95) {
      f[kHolderId] = Documents(p, a.holder_person)[0].number;
    }
  }

  SourceContext& ctx_;
  const World& world_;
  Random random_;
  std::vector<std::string> names_;
};

// ---- Transactions and laundering patterns ------------------------------------------------

enum class Currency : uint8_t { kEur, kAll, kTry };

struct Txn {
  int32_t day = 0;
  uint32_t seq = 0;
  uint32_t payer = 0;        // account index
  uint32_t beneficiary = 0;  // account index
  int64_t cents = 0;
  Currency currency = Currency::kEur;
  uint16_t purpose = 0;
  bool laundering = false;
  uint32_t pattern = kNone;
};

struct Pattern {
  std::string id;
  const char* typology;
};

constexpr const char* kTypologies[] = {"fan_out",        "fan_in",    "cycle", "scatter_gather",
                                       "gather_scatter", "bipartite", "stack", "structuring"};

class TransactionsWriter {
 public:
  TransactionsWriter(SourceContext& ctx, LaunderingSummary& summary)
      : ctx_(ctx),
        world_(*ctx.world),
        summary_(summary),
        random_(Random::ForPhase(ctx.seed, "fiu-transactions")) {
    for (uint32_t a = 0; a < world_.accounts.size(); ++a) {
      if (Banks()[world_.accounts[a].bank].country == Country::kAL) albanian_.push_back(a);
    }
  }

  Result<FileStats> Write() {
    FileStats stats;
    stats.path = kTransactionsFile;
    if (world_.accounts.size() < 12 || albanian_.empty()) {
      return InvalidArgument("too few bank accounts for transactions; use more --persons");
    }
    first_day_ = DaysFromCivil(2024, 1, 1);
    last_day_ = world_.options.export_day - 1;
    names_ = HolderNames(world_, ctx_.seed);
    BuildBackground();
    BuildGroupFlows();
    BuildPatterns();
    std::sort(txns_.begin(), txns_.end(), [](const Txn& a, const Txn& b) {
      return a.day != b.day ? a.day < b.day : a.seq < b.seq;
    });

    URA_ASSIGN_OR_RETURN(auto out, OpenOutput(ctx_, kTransactionsFile));
    out->Write(kTransactionsHeader);
    BadRowPlanter planter(ctx_, stats, "fiu-transactions-bad");
    EntityTally tally;
    std::vector<std::pair<uint32_t, std::string>> truth;  // (pattern, txn_id)
    uint64_t next_id = 1;
    std::vector<std::string> f;
    for (const Txn& t : txns_) {
      Render(t, f);
      if (planter.Plant()) {
        std::vector<std::string> bad = f;
        bad[kTxnId] = TxnId(next_id++);
        const char* kind = planter.PickKind(
            {kUnbalancedQuote, kWrongColumnCount, kInvalidUtf8, kBadDate, kBadIban, kMissingKey});
        std::string_view k = kind;
        std::string line;
        if (k == kUnbalancedQuote) {
          line = BrokenQuoteLine(bad, kReference, ',');
        } else if (k == kWrongColumnCount) {
          line = WrongColumnCountLine(bad, ',', planter.random());
        } else {
          Random& r = planter.random();
          if (k == kInvalidUtf8) bad[kPayerName] = InvalidUtf8Field(bad[kPayerName], r);
          if (k == kBadDate) bad[kValueDate] = BadDate("YYYY-MM-DD", r);
          if (k == kBadIban) {
            size_t side = r.Chance(0.5) ? kPayerIban : kBenIban;
            bad[side] = CorruptIbanCheckDigits(bad[side], r.Range(1, 96));
          }
          if (k == kMissingKey) bad[kTxnId].clear();
          line = CsvLine(bad, ',');
        }
        out->Write(line);
        ++stats.rows;
        planter.Record(stats.rows, kind);
      }
      f[kTxnId] = TxnId(next_id++);
      out->Write(CsvLine(f, ','));
      ++stats.rows;
      tally.Add("Payment", kSource, "payment", {f[kTxnId]});
      tally.Add("BankAccount", kSource, "account", {f[kPayerIban]});
      tally.Add("BankAccount", kSource, "account", {f[kBenIban]});
      if (t.pattern != kNone) truth.emplace_back(t.pattern, f[kTxnId]);
    }
    URA_RETURN_IF_ERROR(out->Close());
    FinishTally(ctx_, tally, stats);

    std::stable_sort(truth.begin(), truth.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    URA_ASSIGN_OR_RETURN(auto laundering, OpenOutput(ctx_, "truth/laundering.csv"));
    laundering->Write("pattern_id,typology,txn_id\n");
    for (const auto& [pattern, txn_id] : truth) {
      laundering->Write(patterns_[pattern].id + "," + patterns_[pattern].typology + "," + txn_id +
                        "\n");
    }
    URA_RETURN_IF_ERROR(laundering->Close());
    summary_.transactions = truth.size();
    for (const Pattern& p : patterns_) ++summary_.patterns[p.typology];
    return stats;
  }

 private:
  static std::string TxnId(uint64_t n) { return "TX" + Padded(n, 10); }

  Country BankCountry(uint32_t account) const {
    return Banks()[world_.accounts[account].bank].country;
  }

  void Add(int32_t day, uint32_t payer, uint32_t beneficiary, int64_t cents, Currency currency,
           uint16_t purpose, uint32_t pattern) {
    Txn t;
    t.day = std::min(day, last_day_);
    t.seq = static_cast<uint32_t>(txns_.size());
    t.payer = payer;
    t.beneficiary = beneficiary;
    t.cents = std::max<int64_t>(cents, 100);
    t.currency = currency;
    t.purpose = purpose;
    t.pattern = pattern;
    txns_.push_back(t);
  }

  int64_t BackgroundCents() {
    static constexpr uint32_t kWeights[] = {25, 40, 22, 10, 3};
    static constexpr int64_t kBounds[] = {10, 100, 1000, 5000, 20000, 100000};
    size_t band = random_.Weighted(kWeights);
    return random_.Range(kBounds[band] * 100, kBounds[band + 1] * 100 - 1);
  }

  void BuildBackground() {
    uint64_t count = world_.persons.size();
    for (uint64_t k = 0; k < count; ++k) {
      uint32_t payer = static_cast<uint32_t>(random_.Uniform(world_.accounts.size()));
      uint32_t beneficiary = payer;
      for (int tries = 0;
           tries < 3 && (beneficiary == payer || BankCountry(beneficiary) != BankCountry(payer));
           ++tries) {
        beneficiary = static_cast<uint32_t>(random_.Uniform(world_.accounts.size()));
      }
      if (BankCountry(payer) != Country::kAL && BankCountry(beneficiary) != Country::kAL) {
        beneficiary = random_.Pick(albanian_);  // the Albanian FIU sees Albanian banks' reports
      }
      if (beneficiary == payer) continue;
      int64_t cents = BackgroundCents();
      Currency currency = Currency::kEur;
      if (BankCountry(payer) == Country::kAL && BankCountry(beneficiary) == Country::kAL &&
          random_.Chance(0.5)) {
        currency = Currency::kAll, cents *= 100;
      } else if (BankCountry(payer) == Country::kTR && BankCountry(beneficiary) == Country::kTR) {
        currency = Currency::kTry, cents *= 35;
      }
      int32_t day = static_cast<int32_t>(random_.Range(first_day_, last_day_));
      Add(day, payer, beneficiary, cents, currency,
          static_cast<uint16_t>(random_.Uniform(PaymentPurposes().size())), kNone);
      ++summary_.background;
    }
  }

  // Members pay into the group's shared accounts (the organiser's, the front company's).
  void BuildGroupFlows() {
    for (const Group& g : world_.groups) {
      if (g.accounts.size() < 2) continue;
      // Company accounts come first in g.accounts; else the organiser's, if any.
      uint32_t organiser = world_.persons[g.members[0]].account;
      uint32_t hub = g.company != kNone || organiser == kNone ? g.accounts.front() : organiser;
      int flows = static_cast<int>(random_.Range(3, 8));
      for (int k = 0; k < flows; ++k) {
        uint32_t from = random_.Pick(g.accounts);
        if (from == hub) continue;
        bool inward = random_.Chance(0.6);
        Add(static_cast<int32_t>(random_.Range(first_day_, last_day_)), inward ? from : hub,
            inward ? hub : from, random_.Range(20000, 500000), Currency::kEur,
            static_cast<uint16_t>(random_.Uniform(PaymentPurposes().size())), kNone);
        ++summary_.background;
      }
    }
  }

  // `count` distinct accounts: a group's first when the pattern is tied to one, then mules.
  std::vector<uint32_t> PickAccounts(size_t count) {
    std::vector<uint32_t> picked;
    if (!world_.groups.empty() && random_.Chance(0.7)) {
      std::vector<uint32_t> own = random_.Pick(world_.groups).accounts;
      random_.Shuffle(own);
      for (uint32_t a : own) {
        if (picked.size() >= count / 2 + 1) break;
        if (std::find(picked.begin(), picked.end(), a) == picked.end()) picked.push_back(a);
      }
    }
    while (picked.size() < count) {
      uint32_t a = static_cast<uint32_t>(random_.Uniform(world_.accounts.size()));
      if (std::find(picked.begin(), picked.end(), a) == picked.end()) picked.push_back(a);
    }
    random_.Shuffle(picked);
    return picked;
  }

  int64_t Jitter(int64_t cents, int low_percent, int high_percent) {
    return cents * random_.Range(low_percent, high_percent) / 100;
  }

  uint16_t LaunderingPurpose() {
    return static_cast<uint16_t>(random_.Uniform(LaunderingPurposes().size()));
  }

  void BuildPatterns() {
    uint64_t per_typology = std::max<uint64_t>(2, world_.persons.size() / 20000);
    for (const char* typology : kTypologies) {
      for (uint64_t k = 0; k < per_typology; ++k) {
        uint32_t pattern = static_cast<uint32_t>(patterns_.size());
        patterns_.push_back({"ML-" + Padded(pattern + 1, 5), typology});
        BuildPattern(typology, pattern);
      }
    }
  }

  void BuildPattern(std::string_view typology, uint32_t pattern) {
    int32_t span = static_cast<int32_t>(random_.Range(5, 20));
    int32_t start = static_cast<int32_t>(random_.Range(first_day_, last_day_ - span));
    int64_t base = random_.Range(20000, 250000) * 100;
    auto add = [&](int32_t offset, uint32_t from, uint32_t to, int64_t cents, uint16_t purpose) {
      Add(start + offset, from, to, cents, Currency::kEur, purpose, pattern);
    };
    auto offset = [&](int32_t lo, int32_t hi) {
      return static_cast<int32_t>(random_.Range(lo, hi));
    };
    if (typology == "fan_out" || typology == "fan_in") {
      std::vector<uint32_t> a = PickAccounts(static_cast<size_t>(random_.Range(5, 10)));
      int64_t share = base / static_cast<int64_t>(a.size() - 1);
      for (size_t i = 1; i < a.size(); ++i) {
        bool out = typology == "fan_out";
        add(offset(0, span), out ? a[0] : a[i], out ? a[i] : a[0], Jitter(share, 80, 120),
            LaunderingPurpose());
      }
    } else if (typology == "cycle") {
      size_t n = static_cast<size_t>(random_.Range(5, 10));
      span = std::max<int32_t>(span, static_cast<int32_t>(n));
      std::vector<uint32_t> a = PickAccounts(n);
      std::vector<int32_t> days;  // n strictly increasing offsets in [0, span]
      for (int32_t d = 0; d <= span; ++d) days.push_back(d);
      random_.Shuffle(days);
      days.resize(n);
      std::sort(days.begin(), days.end());
      int64_t amount = base;
      uint16_t purpose = LaunderingPurpose();
      for (size_t i = 0; i < n; ++i) {
        add(days[i], a[i], a[(i + 1) % n], amount, purpose);
        amount = Jitter(amount, 97, 99);
      }
    } else if (typology == "scatter_gather") {
      std::vector<uint32_t> a = PickAccounts(static_cast<size_t>(random_.Range(5, 10)));
      uint32_t origin = a.front(), sink = a.back();
      int64_t share = base / static_cast<int64_t>(a.size() - 2);
      for (size_t i = 1; i + 1 < a.size(); ++i) {
        int32_t day = offset(0, span / 2);
        int64_t amount = Jitter(share, 90, 110);
        add(day, origin, a[i], amount, LaunderingPurpose());
        add(day + offset(1, span - span / 2), a[i], sink, Jitter(amount, 95, 99),
            LaunderingPurpose());
      }
    } else if (typology == "gather_scatter") {
      std::vector<uint32_t> a = PickAccounts(static_cast<size_t>(random_.Range(5, 10)));
      size_t gatherers = (a.size() - 1) / 2;
      int64_t total = 0;
      for (size_t i = 1; i <= gatherers; ++i) {
        int64_t amount = Jitter(base / static_cast<int64_t>(gatherers), 85, 115);
        total += amount;
        add(offset(0, span / 2), a[i], a[0], amount, LaunderingPurpose());
      }
      size_t scatterers = a.size() - 1 - gatherers;
      for (size_t i = gatherers + 1; i < a.size(); ++i) {
        add(offset(span / 2 + 1, span), a[0], a[i],
            Jitter(total / static_cast<int64_t>(scatterers), 90, 97), LaunderingPurpose());
      }
    } else if (typology == "bipartite") {
      std::vector<uint32_t> a = PickAccounts(static_cast<size_t>(random_.Range(5, 10)));
      size_t split = a.size() / 2;
      int64_t share = base / static_cast<int64_t>(split * (a.size() - split));
      for (size_t i = 0; i < split; ++i) {
        for (size_t j = split; j < a.size(); ++j) {
          add(offset(0, span), a[i], a[j], Jitter(share, 80, 120), LaunderingPurpose());
        }
      }
    } else if (typology == "stack") {
      std::vector<uint32_t> a = PickAccounts(static_cast<size_t>(random_.Range(6, 10)));
      size_t l1 = a.size() / 3, l2 = (a.size() - l1) / 2;
      int64_t share = base / static_cast<int64_t>(l1 * l2);
      for (size_t i = 0; i < l1; ++i) {
        for (size_t j = l1; j < l1 + l2; ++j) {
          add(offset(0, span / 2), a[i], a[j], Jitter(share, 85, 115), LaunderingPurpose());
        }
      }
      int64_t onward = share * static_cast<int64_t>(l1) / static_cast<int64_t>(a.size() - l1 - l2);
      for (size_t j = l1; j < l1 + l2; ++j) {
        for (size_t m = l1 + l2; m < a.size(); ++m) {
          add(offset(span / 2 + 1, span), a[j], a[m], Jitter(onward, 85, 97), LaunderingPurpose());
        }
      }
    } else {  // structuring: deposits just below the reporting threshold, within days
      size_t depositors = static_cast<size_t>(random_.Range(1, 3));
      std::vector<uint32_t> a = PickAccounts(depositors + 1);
      int deposits = static_cast<int>(random_.Range(5, 12));
      int32_t window = static_cast<int32_t>(random_.Range(3, 10));
      int64_t threshold = ctx_.threshold_cents;
      for (int k = 0; k < deposits; ++k) {
        int64_t cents = random_.Range(threshold * 95 / 100, threshold - 1000);
        add(offset(0, window), a[1 + random_.Uniform(depositors)], a[0], cents, 7 /* deposit */);
      }
    }
  }

  void Render(const Txn& t, std::vector<std::string>& f) {
    const Account& payer = world_.accounts[t.payer];
    const Account& ben = world_.accounts[t.beneficiary];
    f.assign(kTxnColumns, std::string());
    AppendDate(f[kValueDate], t.day, "YYYY-MM-DD");
    f[kAmount] = FormatAmount(t.cents);
    f[kCurrency] = t.currency == Currency::kEur   ? "EUR"
                   : t.currency == Currency::kAll ? "ALL"
                                                  : "TRY";
    f[kPayerIban] = payer.iban;
    f[kPayerName] = names_[t.payer];
    f[kBenIban] = ben.iban;
    // The beneficiary's name as the payer typed it: often the bank's own form, sometimes
    // upper-case ASCII.
    f[kBenName] = random_.Chance(0.75) ? names_[t.beneficiary]
                                       : MrzName(names_[t.beneficiary], FoldStyle::kIcao);
    Country pc = BankCountry(t.payer), bc = BankCountry(t.beneficiary);
    auto sepa = [](Country c) {
      return c == Country::kIT || c == Country::kDE || c == Country::kAT || c == Country::kGR ||
             c == Country::kCH;
    };
    if (payer.bank == ben.bank) {
      f[kChannel] = "INTERNAL";
    } else if (pc == bc) {
      f[kChannel] = random_.Chance(0.5) ? "INSTANT" : "DOMESTIC";
    } else {
      f[kChannel] = sepa(pc) && sepa(bc) ? "SEPA" : "SWIFT";
    }
    f[kReference] =
        t.pattern != kNone ? LaunderingPurposes()[t.purpose] : PaymentPurposes()[t.purpose];
    const Bank& reporter =
        pc == Country::kAL || bc != Country::kAL ? Banks()[payer.bank] : Banks()[ben.bank];
    f[kReportedBy] = reporter.short_name;
  }

  SourceContext& ctx_;
  const World& world_;
  LaunderingSummary& summary_;
  Random random_;
  std::vector<uint32_t> albanian_;
  std::vector<std::string> names_;
  std::vector<Txn> txns_;
  std::vector<Pattern> patterns_;
  int32_t first_day_ = 0, last_day_ = 0;
};

}  // namespace

Result<FileStats> WriteAccounts(SourceContext& ctx) { return AccountsWriter(ctx).Write(); }

Result<FileStats> WriteTransactions(SourceContext& ctx, LaunderingSummary& laundering) {
  return TransactionsWriter(ctx, laundering).Write();
}

}  // namespace ura::generate
