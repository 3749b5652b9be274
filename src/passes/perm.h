// Permutation arithmetic for the layout passes. A Transpose with perm P maps x to y with
// y.shape[k] = x.shape[P[k]]; applying P then Q equals applying compose(P, Q).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ir/types.h"
#include "support/files.h"

namespace oqnn::passes {

using Perm = std::vector<int64_t>;

bool is_identity(const Perm& p);
bool is_permutation(const Perm& p);
Perm inverse(const Perm& p);
// Transpose by `first`, then by `second`, as one transpose.
Perm compose(const Perm& first, const Perm& second);
// (0, 2, 3, ..., r-1, 1): channel-first to channel-last (NCHW -> NHWC for rank 4).
Perm to_channel_last(size_t rank);
Perm to_channel_first(size_t rank);
ir::Shape permute_shape(const ir::Shape& s, const Perm& p);
// True when the dims larger than 1 keep their relative order, so the transpose moves no
// data and is a reshape.
bool moves_only_unit_dims(const ir::Shape& in, const Perm& p);

// Dense row-major data of `shape` (elements of `elem_size` bytes) transposed by p.
std::shared_ptr<Blob> permute_data(const Blob& data, const ir::Shape& shape, size_t elem_size,
                                   const Perm& p);
// `s` right-aligned to `rank` dims by leading 1s (numpy broadcasting).
ir::Shape align_rank(const ir::Shape& s, size_t rank);

}  // namespace oqnn::passes
