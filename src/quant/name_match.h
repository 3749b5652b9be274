// "Did you mean" for names that match nothing: the existing names closest to a given one
// by edit distance (Levenshtein), for messages about unknown override names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace oqnn::quant {

// Insertions, deletions and substitutions to turn a into b; stops early and returns a value
// > bound once the distance is known to exceed `bound`.
size_t edit_distance(std::string_view a, std::string_view b, size_t bound);

// Up to k candidates, nearest first; ties in candidate order.
std::vector<std::string> closest_names(std::string_view name,
                                       const std::vector<std::string>& candidates, size_t k);

}  // namespace oqnn::quant
