// Detection ops whose ONNX outputs have data-dependent shapes (NonMaxSuppression, NonZero)
// take QNN's static-output form here: output 0 has a fixed maximum number of rows (axis 0)
// and output 1, int32 [1], says how many of them are valid; rows past it hold -1. The
// importer, the conformance runner and the CPU/HTP kernels share this one convention
// (docs/architecture.md, "Static outputs with a valid count").
#pragma once

#include <cstdint>
#include <string_view>

namespace oqnn::ir {

// Whether `op`'s output 0 is padded along axis 0 with its valid row count in output 1.
bool has_valid_count(std::string_view op);

// The fill of rows past the valid count (QNN's HTP pads NonZero with -1 too).
inline constexpr int32_t kPaddedIndex = -1;

}  // namespace oqnn::ir
