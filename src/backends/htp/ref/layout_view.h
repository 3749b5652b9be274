// Transpose and ChannelShuffle as permuted views of their input, and Concat as chunks, read
// once from a node and shared by the reference and the fast data-movement kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace oqnn::htp {

std::vector<int64_t> row_major_strides(const ir::Shape& s);

// Output element at row-major index (i_0, ..., i_r-1) of `dims` is the input element at
// sum i_d * in_stride[d]. ChannelShuffle reads its axis as [groups, C / groups] transposed.
struct PermutedView {
  ir::Shape dims;
  std::vector<int64_t> in_stride;
};
PermutedView permuted_view(const ir::Node& n, const ir::Shape& in);  // Transpose, ChannelShuffle

// Concat: `outer` repetitions of each input's chunk (elements per outer index) in turn.
struct ConcatChunks {
  int64_t outer = 1;
  std::vector<int64_t> chunk;
};
ConcatChunks concat_chunks(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::htp
