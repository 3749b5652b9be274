#include "passes/perm.h"

#include <cstring>

namespace oqnn::passes {

bool is_identity(const Perm& p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<int64_t>(i)) return false;
  return true;
}

bool is_permutation(const Perm& p) {
  std::vector<bool> seen(p.size(), false);
  for (int64_t v : p) {
    if (v < 0 || v >= static_cast<int64_t>(p.size()) || seen[static_cast<size_t>(v)]) return false;
    seen[static_cast<size_t>(v)] = true;
  }
  return true;
}

Perm inverse(const Perm& p) {
  Perm inv(p.size());
  for (size_t i = 0; i < p.size(); ++i) inv[static_cast<size_t>(p[i])] = static_cast<int64_t>(i);
  return inv;
}

Perm compose(const Perm& first, const Perm& second) {
  Perm out(second.size());
  for (size_t k = 0; k < second.size(); ++k) out[k] = first[static_cast<size_t>(second[k])];
  return out;
}

Perm to_channel_last(size_t rank) {
  Perm p;
  if (rank == 0) return p;
  p.push_back(0);
  for (size_t i = 2; i < rank; ++i) p.push_back(static_cast<int64_t>(i));
  if (rank > 1) p.push_back(1);
  return p;
}

Perm to_channel_first(size_t rank) {
  return inverse(to_channel_last(rank));
}

ir::Shape permute_shape(const ir::Shape& s, const Perm& p) {
  ir::Shape out(p.size());
  for (size_t k = 0; k < p.size(); ++k) out[k] = s[static_cast<size_t>(p[k])];
  return out;
}

bool moves_only_unit_dims(const ir::Shape& in, const Perm& p) {
  int64_t last = -1;
  for (int64_t src : p) {
    if (in[static_cast<size_t>(src)] == 1) continue;
    if (src < last) return false;
    last = src;
  }
  return true;
}

std::shared_ptr<Blob> permute_data(const Blob& data, const ir::Shape& shape, size_t elem_size,
                                   const Perm& p) {
  size_t rank = shape.size();
  std::vector<int64_t> in_strides(rank, 1);
  for (size_t d = rank; d-- > 1;) in_strides[d - 1] = in_strides[d] * shape[d];
  ir::Shape out_shape = permute_shape(shape, p);
  // Stride in the input for each output dim, then an odometer over the output.
  std::vector<int64_t> step(rank);
  for (size_t k = 0; k < rank; ++k) step[k] = in_strides[static_cast<size_t>(p[k])];
  int64_t n = ir::num_elements(shape);
  std::vector<std::byte> out(static_cast<size_t>(n) * elem_size);
  std::vector<int64_t> idx(rank, 0);
  int64_t src = 0;
  const std::byte* in = data.data();
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out.data() + static_cast<size_t>(i) * elem_size,
                in + static_cast<size_t>(src) * elem_size, elem_size);
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < out_shape[k]) {
        src += step[k];
        break;
      }
      src -= step[k] * (out_shape[k] - 1);
      idx[k] = 0;
    }
  }
  return make_owned_blob(std::move(out));
}

ir::Shape align_rank(const ir::Shape& s, size_t rank) {
  ir::Shape out(rank > s.size() ? rank - s.size() : 0, 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

}  // namespace oqnn::passes
