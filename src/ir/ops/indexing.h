// Shared by the indexing op rules (indexing*.cpp) and the CPU kernels that run them, so
// that a kernel walks exactly the elements its shape rule promised.
#pragma once

#include <vector>

#include "ir/op_def.h"

namespace oqnn::ir {

void register_indexing_slice_ops(std::vector<OpDef>& ops);   // indexing_slice.cpp
void register_indexing_select_ops(std::vector<OpDef>& ops);  // indexing_select.cpp

// One dimension of a StridedSlice: output element k reads input index begin + k * step.
struct SliceDim {
  int64_t begin = 0, step = 1, count = 0;
};
// StridedSlice's `ranges` ([begin, end, stride] per input dim, QNN/TF semantics: negative
// begin/end count from the end, values are clamped, a begin_mask/end_mask bit takes the
// extreme of that dim) resolved against input shape `in`; an error names the node.
Expected<std::vector<SliceDim>> resolve_strided_slice(const Node& n, const Shape& in);

// A normalized axis parameter: `name` must lie in [0, rank).
Expected<int64_t> axis_param(const Node& n, const std::string& name, int64_t rank);

}  // namespace oqnn::ir
