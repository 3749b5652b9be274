// Helpers the indexing reference kernels share (indexing*_ref.cpp). Most of these
// kernels move elements without looking at them, so they work on element size, not type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu::ref {

void register_indexing_slice_kernels(std::vector<KernelEntry>& k);   // indexing_slice_ref.cpp
void register_indexing_select_kernels(std::vector<KernelEntry>& k);  // indexing_select_ref.cpp

// The run-time dtypes a byte-moving kernel runs (all of them: it never reads values).
inline constexpr const char* kAnyDtype = "float32,int32,int16,uint16,int8,uint8,bool";

// Product of dims [from, to) of `s`.
inline int64_t dims_product(const ir::Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t d = from; d < to && d < s.size(); ++d) p *= s[d];
  return p;
}

// Row-major element strides of `s`.
inline std::vector<int64_t> elem_strides(const ir::Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
  return st;
}

// Index `i` of a dim of size `dim` with ONNX's negative indices; nullopt when out of range.
inline std::optional<int64_t> wrap_index(int64_t i, int64_t dim) {
  if (i < -dim || i >= dim) return std::nullopt;
  return i < 0 ? i + dim : i;
}

// Copies elements of `es` bytes into a row-major tensor of shape `out`: output element at
// position pos reads source element base + sum(pos[d] * step[d]) (steps may be negative).
void strided_copy(const std::byte* src, std::byte* dst, const ir::Shape& out, int64_t base,
                  const std::vector<int64_t>& step, size_t es);

// a + b and a * b wrapping modulo 2^n for integers (no signed overflow), plain for float;
// bool arithmetic is or / and.
template <class T>
T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
    return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else
    return static_cast<T>(a + b);
}
template <class T>
T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
    return static_cast<T>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else
    return static_cast<T>(a * b);
}

inline size_t elem_size(const ir::Graph& g, ir::TensorId t) {
  return ir::dtype_size(g.tensor(t).dtype);
}

// "node '<name>' (<op>): " for the errors a kernel returns at run time.
inline std::string node_prefix(const ir::Node& n) {
  return "node '" + n.name + "' (" + n.op + "): ";
}

}  // namespace oqnn::cpu::ref
