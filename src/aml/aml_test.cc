#include "aml/aml.h"

#include <gtest/gtest.h>

#include "index/index_testing.h"

namespace ura::aml {
namespace {

using index::testing::TestValue;

constexpr int32_t kDay0 = 19723;  // 2024-01-01

struct Book {
  std::vector<Transaction> payments;
  void Pay(const std::string& payer, const std::string& beneficiary, int32_t day, int64_t euros) {
    Transaction t;
    t.id = "T" + std::to_string(payments.size() + 100);  // ids sort in the order paid
    t.payer = payer;
    t.beneficiary = beneficiary;
    t.day = kDay0 + day;
    t.cents = euros * 100;
    payments.push_back(t);
  }
  std::vector<Alert> Scan(const Options& o = {}, int32_t since = kNoSince) const {
    return aml::Scan(payments, o, since);
  }
};

std::vector<std::string> Typologies(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const Alert& a : alerts) out.push_back(a.typology);
  return out;
}

using Strings = std::vector<std::string>;

TEST(Scan, FanOutWithinTheWindow) {
  Book b;
  for (const char* to : {"B", "C", "D", "E"}) b.Pay("A", to, 2 * (to[0] - 'B'), 5000);
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"fan_out"});
  EXPECT_EQ(alerts[0].accounts, (Strings{"A", "B", "C", "D", "E"}));
  EXPECT_EQ(alerts[0].transactions.size(), 4u);
  EXPECT_EQ(alerts[0].total_cents, 4 * 500000);
  EXPECT_EQ(alerts[0].first_day, kDay0);
  EXPECT_EQ(alerts[0].last_day, kDay0 + 6);
  EXPECT_DOUBLE_EQ(alerts[0].score, 0.5);  // exactly at the threshold
  EXPECT_NE(alerts[0].explanation.find("paid 4 different accounts"), std::string::npos);
  EXPECT_EQ(alerts[0].id.size(), 4u + 16u);
}

TEST(Scan, FanOutNearMisses) {
  Book slow;  // four payments, but 25 days apart: never four in 30 days
  for (const char* to : {"B", "C", "D", "E"}) slow.Pay("A", to, 25 * (to[0] - 'B'), 5000);
  EXPECT_TRUE(slow.Scan().empty());
  Book small;  // within days, but each below the minimum amount
  for (const char* to : {"B", "C", "D", "E"}) small.Pay("A", to, 1, 500);
  EXPECT_TRUE(small.Scan().empty());
  Book three;  // one counterparty short
  for (const char* to : {"B", "C", "D", "D"}) three.Pay("A", to, 1, 5000);
  EXPECT_TRUE(three.Scan().empty());
}

TEST(Scan, FanIn) {
  Book b;
  for (const char* from : {"B", "C", "D", "E", "F"}) b.Pay(from, "A", 3, 7000);
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"fan_in"});
  EXPECT_EQ(alerts[0].transactions.size(), 5u);
  EXPECT_DOUBLE_EQ(alerts[0].score, 0.625);  // 0.5 + 0.5 * (5 - 4) / 4
}

TEST(Scan, CycleAndTheSlowOrGrowingOnesThatAreNot) {
  Book b;
  b.Pay("A", "B", 0, 10000);
  b.Pay("B", "C", 2, 9800);
  b.Pay("C", "D", 4, 9600);
  b.Pay("D", "A", 6, 9400);
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"cycle"});
  EXPECT_EQ(alerts[0].accounts, (Strings{"A", "B", "C", "D"}));
  EXPECT_EQ(alerts[0].transactions.size(), 4u);

  Book slow = b;  // the money comes back after 40 days: longer than the 30-day window
  slow.payments.back().day = kDay0 + 40;
  EXPECT_TRUE(slow.Scan().empty());
  Options wide;
  wide.window_days = 45;
  EXPECT_EQ(Typologies(slow.Scan(wide)), Strings{"cycle"});

  Book growing = b;  // the last hop pays out more than came in: not forwarding
  growing.payments.back().cents = 12000 * 100;
  EXPECT_TRUE(growing.Scan().empty());
  Book backwards = b;  // a hop dated before the one it would forward
  backwards.payments[2].day = kDay0 + 1;
  EXPECT_TRUE(backwards.Scan().empty());
}

TEST(Scan, ScatterGather) {
  Book b;
  for (const char* m : {"M1", "M2", "M3"}) {
    b.Pay("O", m, 0, 20000);
    b.Pay(m, "S", 3, 19400);
  }
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"scatter_gather"});
  EXPECT_EQ(alerts[0].transactions.size(), 6u);
  EXPECT_EQ(alerts[0].accounts, (Strings{"M1", "M2", "M3", "O", "S"}));

  Book late;  // forwarded 40 days later
  for (const char* m : {"M1", "M2", "M3"}) {
    late.Pay("O", m, 0, 20000);
    late.Pay(m, "S", 40, 19400);
  }
  EXPECT_TRUE(late.Scan().empty());
  Book two;  // only two intermediaries
  for (const char* m : {"M1", "M2"}) {
    two.Pay("O", m, 0, 20000);
    two.Pay(m, "S", 3, 19400);
  }
  EXPECT_TRUE(two.Scan().empty());
}

TEST(Scan, GatherScatterAndOneThatPaysOutMoreThanCameIn) {
  Book b;
  for (const char* g : {"G1", "G2", "G3"}) b.Pay(g, "H", g[1] - '1', 10000);
  for (const char* s : {"S1", "S2", "S3"}) b.Pay("H", s, 5 + s[1] - '1', 9500);
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"gather_scatter"});
  EXPECT_EQ(alerts[0].transactions.size(), 6u);
  EXPECT_EQ(alerts[0].total_cents, (30000 + 28500) * 100);

  Book later = b;  // an unrelated payment out a week later does not hide the pattern
  later.Pay("H", "Z", 14, 50000);
  alerts = later.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"gather_scatter"});
  EXPECT_EQ(alerts[0].transactions.size(), 6u);

  Book more;
  for (const char* g : {"G1", "G2", "G3"}) more.Pay(g, "H", g[1] - '1', 10000);
  for (const char* s : {"S1", "S2", "S3"})
    more.Pay("H", s, 5 + s[1] - '1', 16000);  // two are 32,000 already
  EXPECT_TRUE(more.Scan().empty());
}

TEST(Scan, BipartiteAndAnIncompleteOne) {
  Book b;
  for (const char* p : {"P1", "P2"}) {
    for (const char* q : {"B1", "B2", "B3"}) b.Pay(p, q, 2, 4000);
  }
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"bipartite"});
  EXPECT_EQ(alerts[0].transactions.size(), 6u);

  Book incomplete;  // P2 pays one of them only
  for (const char* q : {"B1", "B2", "B3"}) incomplete.Pay("P1", q, 2, 4000);
  incomplete.Pay("P2", "B1", 2, 4000);
  EXPECT_TRUE(incomplete.Scan().empty());
}

TEST(Scan, StackOfTwoLayers) {
  Book b;
  for (const char* p : {"A1", "A2"}) {
    for (const char* q : {"B1", "B2"}) b.Pay(p, q, 1, 6000);
  }
  for (const char* p : {"B1", "B2"}) {
    for (const char* q : {"C1", "C2"}) b.Pay(p, q, 8, 5500);
  }
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"stack"});
  EXPECT_EQ(alerts[0].transactions.size(), 8u);
  EXPECT_EQ(alerts[0].accounts.size(), 6u);

  // As the generator plants them: 3 x 3 then 3 x 4, each payment on its own day, the first
  // payer starting days before the others: one stack of all 21 payments, nothing else.
  Book staggered;
  int day = 0;
  for (const char* p : {"A1", "A2", "A3"}) {
    for (const char* q : {"B1", "B2", "B3"}) staggered.Pay(p, q, day++, 11000);
  }
  for (const char* p : {"B1", "B2", "B3"}) {
    for (const char* q : {"C1", "C2", "C3", "C4"}) staggered.Pay(p, q, 10 + (day++ % 8), 8000);
  }
  alerts = staggered.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"stack"});
  EXPECT_EQ(alerts[0].transactions.size(), 21u);

  Book before =
      b;  // the "second layer" paid before the first: no layering, and 2 x 2 is no bipartite
  for (size_t i = 4; i < 8; ++i) before.payments[i].day = kDay0;
  EXPECT_TRUE(before.Scan().empty());
}

TEST(Scan, StructuringBelowTheThresholdOnly) {
  Book b;
  for (int k = 0; k < 5; ++k) b.Pay("D1", "X", k, 9600);
  std::vector<Alert> alerts = b.Scan();
  ASSERT_EQ(Typologies(alerts), Strings{"structuring"});
  EXPECT_EQ(alerts[0].transactions.size(), 5u);

  Book above;  // the same, but each above the reporting threshold
  for (int k = 0; k < 5; ++k) above.Pay("D1", "X", k, 10200);
  EXPECT_TRUE(above.Scan().empty());
  Book spread;  // below it, but weeks apart
  for (int k = 0; k < 5; ++k) spread.Pay("D1", "X", 15 * k, 9600);
  EXPECT_TRUE(spread.Scan().empty());
  Options lower;  // a lower threshold: 9,600 is now above it
  lower.reporting_threshold_cents = 900000;
  EXPECT_TRUE(b.Scan(lower).empty());
}

TEST(Scan, SameAlertIdsEveryTimeAndSinceKeepsOnlyNewOnes) {
  Book b;
  for (const char* to : {"B", "C", "D", "E"}) b.Pay("A", to, 1, 5000);
  for (int k = 0; k < 4; ++k) b.Pay("D1", "X", 100 + k, 9600);
  std::vector<Alert> first = b.Scan(), again = b.Scan();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first, again);
  std::vector<Alert> since = b.Scan({}, kDay0 + 50);
  ASSERT_EQ(Typologies(since), Strings{"structuring"});
  EXPECT_EQ(since[0].id, first[1].id);
}

TEST(Alerts, EncodeDecodeRoundTrip) {
  Book b;
  for (const char* to : {"B", "C", "D", "E"}) b.Pay("A", to, 1, 5000);
  for (Transaction& t : b.payments) t.marking.cases = {"OC-1"};
  b.payments[0].marking.classification = model::Classification::kSecret;
  std::vector<Alert> alerts = aml::Scan(b.payments, {}, kNoSince, {{"A", {"person-a"}}});
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].owners, Strings{"person-a"});
  EXPECT_EQ(alerts[0].marking.classification, model::Classification::kSecret);
  alerts[0].time_us = 42;
  Result<Alert> back = DecodeAlert(EncodeAlert(alerts[0]));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, alerts[0]);
  EXPECT_EQ(DecodeAlert("{\"v\":1}").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeAlert("not json").status().code(), StatusCode::kInvalidArgument);
}

TEST(Options, ReadFromTomlStrictly) {
  Result<Options> o = ParseOptions(
      "[aml]\nwindow_days = 20\nmin_amount_eur = 250.5\nreporting_threshold_eur = 15000\n"
      "[aml.eur_rates]\nUSD = 0.9\n",
      "aml.toml");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->window_days, 20);
  EXPECT_EQ(o->min_amount_cents, 25050);
  EXPECT_EQ(o->reporting_threshold_cents, 1500000);
  EXPECT_DOUBLE_EQ(o->eur_rates.at("USD"), 0.9);
  EXPECT_DOUBLE_EQ(o->eur_rates.at("EUR"), 1.0);

  Result<Options> unknown = ParseOptions("[aml]\nwindow_day = 20\n", "aml.toml");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("aml.toml:2:"), std::string::npos)
      << unknown.status().message();
  EXPECT_NE(unknown.status().message().find("window_day"), std::string::npos);
  Result<Options> range = ParseOptions("[aml]\nwindow_days = 0\n", "aml.toml");
  EXPECT_NE(range.status().message().find("out of range"), std::string::npos)
      << range.status().message();
  EXPECT_FALSE(ParseOptions("[aml]\nmin_fan = \"four\"\n", "aml.toml").ok());
  EXPECT_FALSE(ParseOptions("[other]\nx = 1\n", "aml.toml").ok());
  EXPECT_FALSE(ParseOptions("[aml\n", "aml.toml").ok());
  EXPECT_FALSE(ParseOptions("[aml.eur_rates]\nALL = -1\n", "aml.toml").ok());
}

TEST(Load, PaymentsFromTheIndexInEuros) {
  index::testing::ScratchIndex idx;
  auto add = [&](const std::string& id, const std::string& schema,
                 std::vector<std::pair<std::string, std::string>> props) {
    model::Entity e;
    e.id = id;
    e.schema = schema;
    for (auto& [p, v] : props) e.properties[p].push_back(TestValue(v));
    idx.Add(e);
  };
  add("acc1", "BankAccount", {{"holder", "p1"}});
  add("pay1", "Payment",
      {{"payerAccount", "acc1"},
       {"beneficiaryAccount", "acc2"},
       {"date", "2024-01-02"},
       {"amount", "250000"},
       {"currency", "ALL"}});
  add("pay2", "Payment",
      {{"payerAccount", "acc1"}, {"beneficiaryAccount", "acc2"}, {"amount", "10"}});  // no date
  add("pay3", "Payment",
      {{"payerAccount", "acc1"},
       {"beneficiaryAccount", "acc2"},
       {"date", "2024-01-02"},
       {"amount", "10"},
       {"currency", "XXX"}});  // unknown currency
  Result<Transactions> t = LoadTransactions(*idx, model::SchemaRegistry::Builtin(), {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->payments.size(), 1u);
  EXPECT_EQ(t->skipped, 2u);
  EXPECT_EQ(t->payments[0].cents, 250000);  // 250,000 ALL at 0.01 = 2,500.00 EUR
  EXPECT_EQ(t->payments[0].day, kDay0 + 1);
  EXPECT_EQ(t->holders.at("acc1"), Strings{"p1"});
}

}  // namespace
}  // namespace ura::aml
