#include "quant/name_match.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

namespace oqnn::quant {

size_t edit_distance(std::string_view a, std::string_view b, size_t bound) {
  size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > bound) return bound + 1;  // at least that many insertions or deletions
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    size_t row_min = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      row_min = std::min(row_min, row[j]);
    }
    // Every later row is at least this row's minimum, so the bound is already exceeded.
    if (row_min > bound) return bound + 1;
  }
  return row[b.size()];
}

std::vector<std::string> closest_names(std::string_view name,
                                       const std::vector<std::string>& candidates, size_t k) {
  if (k == 0) return {};
  // (distance, index) of the best k so far; the worst of them bounds later searches.
  std::vector<std::pair<size_t, size_t>> best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    size_t bound = best.size() < k ? std::numeric_limits<size_t>::max() - 1 : best.back().first;
    size_t d = edit_distance(name, candidates[i], bound);
    if (best.size() == k && d >= best.back().first) continue;
    best.insert(std::upper_bound(best.begin(), best.end(), std::pair{d, i}), {d, i});
    if (best.size() > k) best.pop_back();
  }
  std::vector<std::string> out;
  for (const auto& [d, i] : best) out.push_back(candidates[i]);
  return out;
}

}  // namespace oqnn::quant
