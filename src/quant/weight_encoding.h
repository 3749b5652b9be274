// Default weight encodings computed from the weights' own data (when no override names
// them): per-tensor symmetric or tf, or per-channel symmetric along an axis.
#pragma once

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::quant {

enum class WeightScheme { kSymmetric, kTf };

// `axis` < 0: one encoding for the whole tensor with `scheme`; otherwise one symmetric
// encoding per index of `axis`. Errors (naming the tensor) when `t` holds no float32 data
// of its shape's size.
Expected<ir::Encoding> weight_encoding(const ir::Tensor& t, int axis, int bitwidth,
                                       WeightScheme scheme);

}  // namespace oqnn::quant
