// Scan: the typology detectors of aml.h, over payments grouped by account.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>
#include <unordered_map>

#include "aml/aml.h"
#include "base/bytes.h"
#include "crypto/sha256.h"
#include "model/dates.h"

namespace ura::aml {
namespace {

std::string Euros(int64_t cents) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%02lld EUR", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return buf;
}

// 0.5 at the threshold, rising to 1 at twice it.
double Score(double found, double needed) {
  return std::min(1.0, 0.5 + 0.5 * (found - needed) / needed);
}

// The strictest of two markings: who may see both may see the alert.
model::Marking Strictest(model::Marking a, const model::Marking& b) {
  a.handling = std::max(a.handling, b.handling);
  a.classification = std::max(a.classification, b.classification);
  a.reliability = std::max(a.reliability, b.reliability);
  a.accuracy = std::max(a.accuracy, b.accuracy);
  return a;
}

class Scanner {
 public:
  Scanner(const std::vector<Transaction>& payments, const Options& options, int32_t since_day,
          const std::map<std::string, std::vector<std::string>>& holders)
      : t_(payments), o_(options), since_(since_day), holders_(holders) {
    const int32_t reach = std::max(o_.window_days, o_.structuring_window_days);
    std::vector<uint32_t> used;
    for (uint32_t i = 0; i < t_.size(); ++i) {
      if (since_ != kNoSince && t_[i].day < since_ - reach) continue;
      used.push_back(i);
    }
    std::sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) {
      return t_[a].day != t_[b].day ? t_[a].day < t_[b].day : t_[a].id < t_[b].id;
    });
    order_ = used;
    payer_.resize(t_.size());
    beneficiary_.resize(t_.size());
    for (uint32_t i : used) {
      payer_[i] = Account(t_[i].payer);
      beneficiary_[i] = Account(t_[i].beneficiary);
    }
    out_.resize(accounts_.size());
    in_.resize(accounts_.size());
    for (uint32_t i : used) {
      out_[payer_[i]].push_back(i);
      in_[beneficiary_[i]].push_back(i);
    }
    claimed_.assign(t_.size(), 0);
  }

  std::vector<Alert> Run() {
    Structuring();
    Cycles();
    ScatterGather();
    Stacks();
    Bipartite();
    GatherScatter();
    Fans(true);
    Fans(false);
    std::sort(alerts_.begin(), alerts_.end(), [](const Alert& a, const Alert& b) {
      return a.first_day != b.first_day ? a.first_day < b.first_day : a.id < b.id;
    });
    return std::move(alerts_);
  }

 private:
  uint32_t Account(const std::string& id) {
    auto [it, fresh] = account_index_.try_emplace(id, static_cast<uint32_t>(accounts_.size()));
    if (fresh) accounts_.push_back(id);
    return it->second;
  }
  bool Usable(uint32_t i) const { return !claimed_[i] && t_[i].cents >= o_.min_amount_cents; }
  int64_t Cents(uint32_t i) const { return t_[i].cents; }
  int32_t Day(uint32_t i) const { return t_[i].day; }
  bool Forwards(uint32_t later, uint32_t earlier) const {
    return Cents(later) <= Cents(earlier) &&
           Cents(later) >= o_.forward_min * static_cast<double>(Cents(earlier));
  }

  // Stores an alert of these payments (unless all of it lies before --since) and claims them.
  void Emit(std::string typology, std::vector<uint32_t> txns, double score,
            std::string explanation) {
    std::sort(txns.begin(), txns.end());
    txns.erase(std::unique(txns.begin(), txns.end()), txns.end());
    Alert a;
    a.typology = std::move(typology);
    a.score = score;
    a.first_day = INT32_MAX;
    a.last_day = INT32_MIN;
    std::set<std::string> accounts, owners, ids;
    bool first = true;
    for (uint32_t i : txns) {
      claimed_[i] = 1;
      const Transaction& x = t_[i];
      ids.insert(x.id);
      accounts.insert(x.payer);
      accounts.insert(x.beneficiary);
      a.total_cents += x.cents;
      a.first_day = std::min(a.first_day, x.day);
      a.last_day = std::max(a.last_day, x.day);
      a.marking = first ? x.marking : Strictest(a.marking, x.marking);
      first = false;
    }
    if (since_ != kNoSince && a.last_day < since_) return;
    for (const std::string& acc : accounts) {
      auto h = holders_.find(acc);
      if (h != holders_.end()) owners.insert(h->second.begin(), h->second.end());
    }
    a.accounts.assign(accounts.begin(), accounts.end());
    a.owners.assign(owners.begin(), owners.end());
    a.transactions.assign(ids.begin(), ids.end());
    std::string key = a.typology;
    for (const std::string& id : a.transactions) key += "\n" + id;
    const crypto::Hash256 hash = crypto::Sha256(AsBytes(key));
    a.id = "AML-" + HexEncode(ByteView(hash.data(), 8));
    a.explanation = std::move(explanation) + " Between " + model::DateOfDay(a.first_day) + " and " +
                    model::DateOfDay(a.last_day) + ", " + std::to_string(a.transactions.size()) +
                    " payments of " + Euros(a.total_cents) + " in all.";
    alerts_.push_back(std::move(a));
  }

  // Payments into one account just below the reporting threshold, several within days.
  void Structuring() {
    const int64_t high = o_.reporting_threshold_cents;
    const int64_t low =
        static_cast<int64_t>(static_cast<double>(high) * (1.0 - o_.structuring_margin));
    for (uint32_t acc = 0; acc < accounts_.size(); ++acc) {
      std::vector<uint32_t> near;
      for (uint32_t i : in_[acc]) {
        if (!claimed_[i] && Cents(i) >= low && Cents(i) < high) near.push_back(i);
      }
      for (size_t first = 0; first < near.size();) {
        size_t end = first;
        while (end < near.size() && Day(near[end]) - Day(near[first]) <= o_.structuring_window_days)
          ++end;
        const size_t count = end - first;
        if (count >= o_.structuring_min_count) {
          std::vector<uint32_t> txns(near.begin() + static_cast<ptrdiff_t>(first),
                                     near.begin() + static_cast<ptrdiff_t>(end));
          Emit("structuring", txns, Score(static_cast<double>(count), o_.structuring_min_count),
               "Structuring: " + std::to_string(count) + " payments into account " +
                   accounts_[acc] + ", each between " + Euros(low) +
                   " and the reporting threshold of " + Euros(high) + ", within " +
                   std::to_string(Day(near[end - 1]) - Day(near[first])) + " days.");
          first = end;
        } else {
          ++first;
        }
      }
    }
  }

  // Depth-first along later, forwarding payments back to the first payer.
  bool ExtendCycle(uint32_t origin, std::vector<uint32_t>& path, std::vector<uint32_t>& visited) {
    const uint32_t last = path.back();
    const uint32_t at = beneficiary_[last];
    const std::vector<uint32_t>& outs = out_[at];
    auto start = std::lower_bound(outs.begin(), outs.end(), Day(last),
                                  [&](uint32_t i, int32_t d) { return Day(i) < d; });
    for (auto it = start; it != outs.end(); ++it) {
      const uint32_t next = *it;
      if (Day(next) - Day(path.front()) > o_.window_days) break;
      if (next == last || !Usable(next) || !Forwards(next, last)) continue;
      const uint32_t to = beneficiary_[next];
      if (to == origin) {
        if (path.size() + 1 < 3) continue;
        path.push_back(next);
        return true;
      }
      if (path.size() + 1 >= o_.max_cycle_length ||
          std::find(visited.begin(), visited.end(), to) != visited.end()) {
        continue;
      }
      path.push_back(next);
      visited.push_back(to);
      if (ExtendCycle(origin, path, visited)) return true;
      path.pop_back();
      visited.pop_back();
    }
    return false;
  }

  void Cycles() {
    for (uint32_t first : order_) {
      if (!Usable(first)) continue;
      std::vector<uint32_t> path{first};
      std::vector<uint32_t> visited{payer_[first], beneficiary_[first]};
      if (!ExtendCycle(payer_[first], path, visited)) continue;
      const size_t hops = path.size();
      Emit("cycle", path, Score(static_cast<double>(hops), 3),
           "Cycle: money left account " + accounts_[payer_[first]] +
               " and came back to it through " + std::to_string(hops - 1) +
               " other accounts, each payment later than the one before and forwarding " +
               "most of it, within " + std::to_string(Day(path.back()) - Day(path.front())) +
               " days.");
    }
  }

  // Origin pays intermediaries, each forwards to one sink.
  void ScatterGather() {
    for (uint32_t origin = 0; origin < accounts_.size(); ++origin) {
      std::map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>>
          by_sink;  // sink -> (out, forward)
      for (uint32_t first : out_[origin]) {
        if (!Usable(first)) continue;
        const uint32_t middle = beneficiary_[first];
        for (uint32_t second : out_[middle]) {
          if (!Usable(second) || Day(second) <= Day(first) ||
              Day(second) - Day(first) > o_.window_days)
            continue;
          const uint32_t sink = beneficiary_[second];
          if (sink == origin || !Forwards(second, first)) continue;
          by_sink[sink].emplace_back(first, second);
          break;
        }
      }
      for (auto& [sink, legs] : by_sink) {
        std::set<uint32_t> middles;
        std::vector<uint32_t> txns;
        int32_t lo = INT32_MAX, hi = INT32_MIN;
        for (auto [a, b] : legs) {
          if (claimed_[a] || claimed_[b] || !middles.insert(beneficiary_[a]).second) continue;
          txns.push_back(a);
          txns.push_back(b);
          lo = std::min(lo, Day(a));
          hi = std::max(hi, Day(b));
        }
        if (middles.size() < o_.min_legs || hi - lo > o_.window_days) continue;
        Emit("scatter_gather", txns, Score(static_cast<double>(middles.size()), o_.min_legs),
             "Scatter-gather: account " + accounts_[origin] + " paid " +
                 std::to_string(middles.size()) +
                 " accounts, each of which forwarded most of it to account " + accounts_[sink] +
                 " days later.");
      }
    }
  }

  struct Biclique {
    std::vector<uint32_t> payers, beneficiaries, txns;
    int32_t last_day = INT32_MIN;
  };

  // Usable payments of `payer` dated in [lo, hi], by beneficiary.
  std::map<uint32_t, std::vector<uint32_t>> PaidTo(uint32_t payer, int32_t lo, int32_t hi) const {
    std::map<uint32_t, std::vector<uint32_t>> out;
    for (uint32_t i : out_[payer]) {
      if (Usable(i) && Day(i) >= lo && Day(i) <= hi) out[beneficiary_[i]].push_back(i);
    }
    return out;
  }

  // Whether `payer` paid at least two different accounts in [lo, hi] (usable payments): what
  // a bipartite set grown from it needs, checked before growing one.
  bool PaysTwo(uint32_t payer, int32_t lo, int32_t hi) const {
    const std::vector<uint32_t>& outs = out_[payer];
    auto it = std::lower_bound(outs.begin(), outs.end(), lo,
                               [&](uint32_t i, int32_t d) { return Day(i) < d; });
    uint32_t seen = UINT32_MAX;
    for (; it != outs.end() && Day(*it) <= hi; ++it) {
      if (!Usable(*it)) continue;
      if (seen == UINT32_MAX) {
        seen = beneficiary_[*it];
      } else if (beneficiary_[*it] != seen) {
        return true;
      }
    }
    return false;
  }

  // A complete bipartite set of payments from `seed` and other payers to common beneficiaries
  // in [lo, hi], grown greedily by the payers sharing most beneficiaries with the seed.
  Biclique Grow(uint32_t seed, int32_t lo, int32_t hi) const {
    std::map<uint32_t, std::vector<uint32_t>> mine = PaidTo(seed, lo, hi);
    std::set<uint32_t> common;
    for (const auto& [b, txns] : mine) common.insert(b);
    std::map<uint32_t, size_t> overlap;  // other payer -> beneficiaries shared with the seed
    for (uint32_t b : common) {
      std::set<uint32_t> counted;
      for (uint32_t i : in_[b]) {
        if (payer_[i] != seed && Usable(i) && Day(i) >= lo && Day(i) <= hi &&
            counted.insert(payer_[i]).second) {
          ++overlap[payer_[i]];
        }
      }
    }
    std::vector<std::pair<size_t, uint32_t>> candidates;
    for (auto [q, n] : overlap) {
      if (n >= 2) candidates.emplace_back(n, q);
    }
    std::sort(candidates.begin(), candidates.end(), [](auto x, auto y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    Biclique out;
    out.payers.push_back(seed);
    std::vector<std::map<uint32_t, std::vector<uint32_t>>> paid{mine};
    for (auto [n, q] : candidates) {
      std::map<uint32_t, std::vector<uint32_t>> theirs = PaidTo(q, lo, hi);
      std::set<uint32_t> kept;
      for (uint32_t b : common) {
        if (theirs.contains(b)) kept.insert(b);
      }
      if (kept.size() < 2) continue;
      common = std::move(kept);
      out.payers.push_back(q);
      paid.push_back(std::move(theirs));
    }
    out.beneficiaries.assign(common.begin(), common.end());
    for (const auto& p : paid) {
      for (uint32_t b : common) {
        for (uint32_t i : p.at(b)) {
          out.txns.push_back(i);
          out.last_day = std::max(out.last_day, Day(i));
        }
      }
    }
    return out;
  }

  // Stacks and bipartite sets are grown from each payment in date order, so that a pattern is
  // first seen from its earliest payment, whole.
  void Stacks() {
    for (uint32_t start : order_) {
      if (!Usable(start)) continue;
      const uint32_t seed = payer_[start];
      const int32_t lo = Day(start), hi = Day(start) + o_.window_days;
      if (!PaysTwo(seed, lo, hi)) continue;
      Biclique first = Grow(seed, lo, hi);
      if (first.payers.size() < 2 || first.beneficiaries.size() < 2) continue;
      // The second layer: paid by the first layer's beneficiaries, after all of it.
      Biclique second;
      for (uint32_t b : first.beneficiaries) {
        second = Grow(b, first.last_day + 1, hi);
        std::sort(second.payers.begin(), second.payers.end());
        std::vector<uint32_t> middle;
        std::set_intersection(second.payers.begin(), second.payers.end(),
                              first.beneficiaries.begin(), first.beneficiaries.end(),
                              std::back_inserter(middle));
        if (middle.size() >= 2 && second.beneficiaries.size() >= 2) break;
        second = {};
      }
      if (second.txns.empty()) continue;
      std::vector<uint32_t> txns = first.txns;
      for (uint32_t i : second.txns) {
        if (std::binary_search(first.beneficiaries.begin(), first.beneficiaries.end(), payer_[i]))
          txns.push_back(i);
      }
      // The layers' other payments in the window belong to it too (a middle account the
      // greedy growth left out of one layer would otherwise look like a gather-scatter).
      std::set<uint32_t> members(first.payers.begin(), first.payers.end());
      members.insert(first.beneficiaries.begin(), first.beneficiaries.end());
      members.insert(second.beneficiaries.begin(), second.beneficiaries.end());
      for (uint32_t a : members) {
        for (uint32_t i : out_[a]) {
          if (Usable(i) && Day(i) >= lo && Day(i) <= hi && members.contains(beneficiary_[i]))
            txns.push_back(i);
        }
      }
      const double found =
          static_cast<double>(std::min(first.payers.size(), second.beneficiaries.size()));
      Emit("stack", txns, Score(found, 2),
           "Stack: " + std::to_string(first.payers.size()) + " accounts each paid the same " +
               std::to_string(first.beneficiaries.size()) +
               " accounts, which then each paid the same " +
               std::to_string(second.beneficiaries.size()) +
               " further accounts (two layers of layering).");
    }
  }

  void Bipartite() {
    for (uint32_t start : order_) {
      if (!Usable(start) || !PaysTwo(payer_[start], Day(start), Day(start) + o_.window_days))
        continue;
      Biclique b = Grow(payer_[start], Day(start), Day(start) + o_.window_days);
      const size_t edges = b.payers.size() * b.beneficiaries.size();
      if (b.payers.size() < 2 || b.beneficiaries.size() < 2 || edges < 6) continue;
      Emit("bipartite", b.txns, Score(static_cast<double>(edges), 6),
           "Bipartite: " + std::to_string(b.payers.size()) +
               " accounts each paid every one of the same " +
               std::to_string(b.beneficiaries.size()) + " accounts within " +
               std::to_string(o_.window_days) + " days.");
    }
  }

  // In from several payers, then out to several beneficiaries: most of what came in.
  void GatherScatter() {
    for (uint32_t hub = 0; hub < accounts_.size(); ++hub) {
      std::vector<uint32_t> ins, outs;
      for (uint32_t i : in_[hub]) {
        if (Usable(i)) ins.push_back(i);
      }
      if (ins.size() < 2) continue;
      for (uint32_t i : out_[hub]) {
        if (Usable(i)) outs.push_back(i);
      }
      if (outs.size() < 2) continue;
      for (size_t first = 0; first < ins.size(); ++first) {
        if (claimed_[ins[first]]) continue;
        const int32_t lo = Day(ins[first]), hi = lo + o_.window_days;
        bool found = false;
        for (size_t split = first + 1; split < ins.size() && Day(ins[split]) <= hi && !found;
             ++split) {
          if (split + 1 < ins.size() && Day(ins[split + 1]) == Day(ins[split]))
            continue;  // whole days
          std::vector<uint32_t> in_part(ins.begin() + static_cast<ptrdiff_t>(first),
                                        ins.begin() + static_cast<ptrdiff_t>(split + 1));
          std::set<uint32_t> payers;
          int64_t in_total = 0;
          for (uint32_t i : in_part) payers.insert(payer_[i]), in_total += Cents(i);
          if (payers.size() < 2) continue;
          // The payments out after the split, in date order, as far as they forward what came
          // in (a later unrelated payment does not spoil the pattern): the longest such run.
          std::vector<uint32_t> out_part;
          std::set<uint32_t> beneficiaries;
          int64_t out_total = 0;
          size_t best = 0;
          std::set<uint32_t> best_beneficiaries;
          for (uint32_t o : outs) {
            if (Day(o) <= Day(ins[split]) || Day(o) > hi) continue;
            out_part.push_back(o);
            beneficiaries.insert(beneficiary_[o]);
            out_total += Cents(o);
            const double ratio = static_cast<double>(out_total) / static_cast<double>(in_total);
            if (ratio > 1.0) break;
            if (ratio >= o_.forward_min && beneficiaries.size() >= 2) {
              best = out_part.size();
              best_beneficiaries = beneficiaries;
            }
          }
          if (best == 0) continue;
          out_part.resize(best);
          // Money still coming in after it started going out: the gathering is not over yet.
          if (split + 1 < ins.size() && Day(ins[split + 1]) < Day(out_part.front())) continue;
          out_total = 0;
          for (uint32_t o : out_part) out_total += Cents(o);
          beneficiaries = std::move(best_beneficiaries);
          std::vector<uint32_t> txns = in_part;
          txns.insert(txns.end(), out_part.begin(), out_part.end());
          Emit("gather_scatter", txns,
               Score(static_cast<double>(std::min(payers.size(), beneficiaries.size())), 2),
               "Gather-scatter: account " + accounts_[hub] + " received " + Euros(in_total) +
                   " from " + std::to_string(payers.size()) + " accounts and then paid " +
                   Euros(out_total) + " on to " + std::to_string(beneficiaries.size()) +
                   " others.");
          found = true;
        }
        if (found) break;
      }
    }
  }

  // One account paying (fan-out) or paid by (fan-in) many distinct accounts within the window.
  void Fans(bool outward) {
    const char* typology = outward ? "fan_out" : "fan_in";
    for (uint32_t acc = 0; acc < accounts_.size(); ++acc) {
      std::vector<uint32_t> list;
      for (uint32_t i : outward ? out_[acc] : in_[acc]) {
        if (Usable(i)) list.push_back(i);
      }
      if (list.size() < o_.min_fan) continue;
      auto other = [&](uint32_t i) { return outward ? beneficiary_[i] : payer_[i]; };
      std::unordered_map<uint32_t, uint32_t> count;
      size_t end = 0;
      for (size_t first = 0; first < list.size();) {
        while (end < list.size() && Day(list[end]) - Day(list[first]) <= o_.window_days)
          ++count[other(list[end++])];
        if (count.size() >= o_.min_fan) {
          std::vector<uint32_t> txns(list.begin() + static_cast<ptrdiff_t>(first),
                                     list.begin() + static_cast<ptrdiff_t>(end));
          const size_t distinct = count.size();
          Emit(typology, txns, Score(static_cast<double>(distinct), o_.min_fan),
               std::string(outward ? "Fan-out: account " : "Fan-in: account ") + accounts_[acc] +
                   (outward ? " paid " : " was paid by ") + std::to_string(distinct) +
                   " different accounts within " +
                   std::to_string(Day(list[end - 1]) - Day(list[first])) + " days.");
          count.clear();
          first = end;
        } else {
          if (--count[other(list[first])] == 0) count.erase(other(list[first]));
          ++first;
        }
      }
    }
  }

  const std::vector<Transaction>& t_;
  const Options& o_;
  const int32_t since_;
  const std::map<std::string, std::vector<std::string>>& holders_;
  std::vector<uint32_t> order_;
  std::unordered_map<std::string, uint32_t> account_index_;
  std::vector<std::string> accounts_;
  std::vector<uint32_t> payer_, beneficiary_;
  std::vector<std::vector<uint32_t>> out_, in_;  // payment indexes by account, by day
  std::vector<uint8_t> claimed_;
  std::vector<Alert> alerts_;
};

}  // namespace

std::vector<Alert> Scan(const std::vector<Transaction>& payments, const Options& options,
                        int32_t since_day,
                        const std::map<std::string, std::vector<std::string>>& holders) {
  return Scanner(payments, options, since_day, holders).Run();
}

}  // namespace ura::aml
