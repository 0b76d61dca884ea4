#include "text/distance.h"

#include <algorithm>

namespace ura::text {

int EditDistance(std::string_view a, std::string_view b, int max_distance) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  if (n == 0 || m == 0) return std::max(n, m);
  // Three rows of the dynamic programme (two back for transpositions).
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (int j = 0; j <= m; ++j) previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    int row_min = current[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], max_distance + 1);
}

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int window = std::max(0, std::max(n, m) / 2 - 1);
  std::vector<char> a_matched(n, 0), b_matched(m, 0);
  int matches = 0;
  for (int i = 0; i < n; ++i) {
    const int lo = std::max(0, i - window);
    const int hi = std::min(m - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (b_matched[j] || a[i] != b[j]) continue;
      a_matched[i] = b_matched[j] = 1;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < n; ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double mm = matches;
  const double jaro = (mm / n + mm / m + (mm - transpositions / 2.0) / mm) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

std::vector<std::string> SingleDeletions(std::string_view token) {
  std::vector<std::string> out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    if (i > 0 && token[i] == token[i - 1]) continue;  // deleting either of a double gives the same
    std::string d;
    d.reserve(token.size() - 1);
    d.append(token.substr(0, i));
    d.append(token.substr(i + 1));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace ura::text
