// Folders for ONNX ops that move or describe data: Identity, Dropout, Shape, Size, Gather,
// Squeeze, Unsqueeze, Slice, Concat, Reshape, Flatten, Transpose, ConstantOfShape.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ir/op_def.h"
#include "onnx/const_fold.h"
#include "onnx/shape_rules.h"
#include "onnx/tensor_proto.h"

namespace oqnn::onnx_import {
namespace {

using Inputs = std::span<const ConstTensor* const>;
using Result = Expected<std::vector<ConstTensor>>;

std::vector<ConstTensor> one(ConstTensor t) {
  return {std::move(t)};
}

ConstTensor with_shape(const ConstTensor& t, ir::Shape s) {
  return {t.dtype, std::move(s), t.data};
}

// Copies elements of `in` into a tensor of shape `out`; out element i reads input element
// base + sum(pos[d] * step[d]) (steps in elements, may be negative).
ConstTensor strided_copy(const ConstTensor& in, const ir::Shape& out, int64_t base,
                         const std::vector<int64_t>& step) {
  size_t es = in.elem_size(), n = static_cast<size_t>(ir::num_elements(out));
  std::vector<std::byte> bytes(n * es);
  std::vector<int64_t> pos(out.size(), 0);
  int64_t cur = base;
  const std::byte* src = in.data->data();
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(bytes.data() + i * es, src + static_cast<size_t>(cur) * es, es);
    for (size_t d = out.size(); d-- > 0;) {
      cur += step[d];
      if (++pos[d] < out[d]) break;
      cur -= step[d] * pos[d];
      pos[d] = 0;
    }
  }
  return make_const_like(in, out, std::move(bytes));
}

Result fold_identity(const OnnxNode&, Inputs in) {
  return one(*in[0]);
}

Result fold_dropout(const OnnxNode& n, Inputs in) {
  bool zero_ratio = in.size() > 1 && in[1] && in[1]->numel() == 1 && to_doubles(*in[1])[0] == 0.0;
  if (in.size() > 2 && in[2] && !to_ints(*in[2]).empty() && to_ints(*in[2])[0] != 0 && !zero_ratio)
    return n.unsupported("training_mode=true is not supported (unless ratio is 0)");
  std::vector<ConstTensor> out = one(*in[0]);
  if (n.num_outputs() > 1) {  // the mask of an inference-mode Dropout is all true
    std::vector<int64_t> ones(static_cast<size_t>(in[0]->numel()), 1);
    out.push_back(make_const_ints(ir::DataType::kBool, in[0]->shape, ones));
  }
  return out;
}

Result fold_shape(const OnnxNode& n, Inputs in) {
  const ir::Shape& s = in[0]->shape;
  int64_t rank = static_cast<int64_t>(s.size());
  auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + rank : v, int64_t{0}, rank); };
  int64_t start = clamp(n.attr_int("start", 0)), end = clamp(n.attr_int("end", rank));
  std::vector<int64_t> dims;
  for (int64_t d = start; d < end; ++d) dims.push_back(s[static_cast<size_t>(d)]);
  return one(make_const_ints(ir::DataType::kInt64, {static_cast<int64_t>(dims.size())}, dims));
}

Result fold_size(const OnnxNode&, Inputs in) {
  std::vector<int64_t> v{in[0]->numel()};
  return one(make_const_ints(ir::DataType::kInt64, {}, v));
}

Result fold_gather(const OnnxNode& n, Inputs in) {
  const ConstTensor& data = *in[0];
  int64_t rank = static_cast<int64_t>(data.shape.size());
  auto axis = normalize_axis(n.attr_int("axis", 0), rank);
  if (!axis) return n.bad_input("axis is out of range");
  int64_t dim = data.shape[static_cast<size_t>(*axis)];
  std::vector<int64_t> idx = to_ints(*in[1]);
  for (int64_t& i : idx) {
    if (i < -dim || i >= dim)
      return n.bad_input("index " + std::to_string(i) + " is out of range for size " +
                         std::to_string(dim));
    if (i < 0) i += dim;
  }
  ir::Shape out(data.shape.begin(), data.shape.begin() + *axis);
  out.insert(out.end(), in[1]->shape.begin(), in[1]->shape.end());
  out.insert(out.end(), data.shape.begin() + *axis + 1, data.shape.end());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    if (d < *axis)
      outer *= data.shape[static_cast<size_t>(d)];
    else if (d > *axis)
      inner *= data.shape[static_cast<size_t>(d)];
  size_t es = data.elem_size(), row = static_cast<size_t>(inner) * es;
  std::vector<std::byte> bytes(static_cast<size_t>(ir::num_elements(out)) * es);
  std::byte* dst = bytes.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : idx) {
      std::memcpy(dst, data.data->data() + static_cast<size_t>(o * dim + i) * row, row);
      dst += row;
    }
  return one(make_const_like(data, std::move(out), std::move(bytes)));
}

Result fold_squeeze(const OnnxNode& n, Inputs in) {
  auto axes = axes_operand(n, in.size() > 1 ? in[1] : nullptr, 13);
  OQNN_ASSIGN_OR_RETURN(auto s, squeeze_shape(in[0]->shape, axes.value_or(std::vector<int64_t>{}),
                                              !axes.has_value(), n.prefix()));
  return one(with_shape(*in[0], std::move(s)));
}

Result fold_unsqueeze(const OnnxNode& n, Inputs in) {
  auto axes = axes_operand(n, in.size() > 1 ? in[1] : nullptr, 13);
  if (!axes) return n.bad_input("axes are missing");
  OQNN_ASSIGN_OR_RETURN(auto s, unsqueeze_shape(in[0]->shape, *axes, n.prefix()));
  return one(with_shape(*in[0], std::move(s)));
}

Result fold_reshape(const OnnxNode& n, Inputs in) {
  std::vector<int64_t> spec = to_ints(*in[1]);
  OQNN_ASSIGN_OR_RETURN(
      auto s, reshape_shape(in[0]->shape, spec, n.attr_int("allowzero", 0) != 0, n.prefix()));
  return one(with_shape(*in[0], std::move(s)));
}

Result fold_flatten(const OnnxNode& n, Inputs in) {
  OQNN_ASSIGN_OR_RETURN(auto s, flatten_shape(in[0]->shape, n.attr_int("axis", 1), n.prefix()));
  return one(with_shape(*in[0], std::move(s)));
}

Result fold_transpose(const OnnxNode& n, Inputs in) {
  const ConstTensor& x = *in[0];
  size_t rank = x.shape.size();
  std::vector<int64_t> perm = n.attr_ints("perm");
  if (perm.empty())
    for (size_t d = rank; d-- > 0;) perm.push_back(static_cast<int64_t>(d));
  std::vector<bool> seen(rank, false);
  if (perm.size() != rank) return n.bad_input("perm does not match the input rank");
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(p)])
      return n.bad_input("perm is not a permutation");
    seen[static_cast<size_t>(p)] = true;
  }
  auto st = strides_of(x.shape);
  ir::Shape out(rank);
  std::vector<int64_t> step(rank);
  for (size_t d = 0; d < rank; ++d) {
    out[d] = x.shape[static_cast<size_t>(perm[d])];
    step[d] = st[static_cast<size_t>(perm[d])];
  }
  return one(strided_copy(x, out, 0, step));
}

Result fold_slice(const OnnxNode& n, Inputs in) {
  const ConstTensor& x = *in[0];
  OQNN_ASSIGN_OR_RETURN(auto dims, slice_dims(n, x.shape, in));
  ir::Shape out;
  auto step = strides_of(x.shape);
  int64_t base = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    out.push_back(dims[d].count);
    base += dims[d].begin * step[d];
    step[d] *= dims[d].step;
  }
  if (ir::num_elements(out) == 0) return one(make_const_like(x, out, {}));
  return one(strided_copy(x, out, base, step));
}

Result fold_concat(const OnnxNode& n, Inputs in) {
  std::vector<const ConstTensor*> parts;
  for (const ConstTensor* t : in)
    if (t) parts.push_back(t);
  if (parts.empty()) return n.bad_input("no inputs");
  ir::Shape out = parts[0]->shape;
  auto axis = normalize_axis(n.attr_int("axis", 0), static_cast<int64_t>(out.size()));
  if (!axis) return n.bad_input("axis is out of range");
  size_t ax = static_cast<size_t>(*axis);
  out[ax] = 0;
  for (const ConstTensor* t : parts) {
    if (t->shape.size() != out.size() || !t->same_type(*parts[0]))
      return n.bad_input("inputs differ in rank or type");
    for (size_t d = 0; d < out.size(); ++d)
      if (d != ax && t->shape[d] != out[d])
        return n.bad_input("inputs differ outside the concat axis");
    out[ax] += t->shape[ax];
  }
  int64_t outer = 1;
  for (size_t d = 0; d < ax; ++d) outer *= out[d];
  size_t es = parts[0]->elem_size();
  std::vector<std::byte> bytes(static_cast<size_t>(ir::num_elements(out)) * es);
  std::byte* dst = bytes.data();
  for (int64_t o = 0; o < outer; ++o)
    for (const ConstTensor* t : parts) {
      size_t chunk = static_cast<size_t>(t->numel() / std::max<int64_t>(outer, 1)) * es;
      if (chunk == 0) continue;
      std::memcpy(dst, t->data->data() + static_cast<size_t>(o) * chunk, chunk);
      dst += chunk;
    }
  return one(make_const_like(*parts[0], std::move(out), std::move(bytes)));
}

Result fold_constant_of_shape(const OnnxNode& n, Inputs in) {
  ir::Shape shape = to_ints(*in[0]);
  if (!checked_numel(shape))
    return n.bad_input("shape " + ir::shape_str(shape) + " is negative or too large to fold");
  ConstTensor value = make_const_doubles(ir::DataType::kFloat32, {1}, std::vector<double>{0.0});
  if (const auto* t = n.attr_tensor("value")) {
    OQNN_ASSIGN_OR_RETURN(value, copy_tensor_proto(*t, n.prefix() + "attribute 'value'"));
    if (value.numel() != 1) return n.bad_input("'value' must hold one element");
  }
  size_t es = value.elem_size(), count = static_cast<size_t>(ir::num_elements(shape));
  std::vector<std::byte> bytes(count * es);
  for (size_t i = 0; i < count; ++i) std::memcpy(bytes.data() + i * es, value.data->data(), es);
  return one(make_const_like(value, std::move(shape), std::move(bytes)));
}

// Expand of a constant (e.g. torch's zero initial states, Expand(zeros, Shape(x))):
// numpy broadcasting of the value to the shape, as a strided copy with stride 0 on the
// broadcast dimensions.
Result fold_expand(const OnnxNode& n, Inputs in) {
  const ConstTensor& x = *in[0];
  ir::Shape want = to_ints(*in[1]);
  auto out = ir::broadcast_shapes(x.shape, want);
  if (!out || !checked_numel(*out))
    return n.bad_input("cannot expand " + ir::shape_str(x.shape) + " to " + ir::shape_str(want));
  auto st = strides_of(x.shape);
  std::vector<int64_t> step(out->size(), 0);
  const size_t lead = out->size() - x.shape.size();
  for (size_t d = 0; d < x.shape.size(); ++d) step[lead + d] = x.shape[d] == 1 ? 0 : st[d];
  return one(strided_copy(x, *out, 0, step));
}

// Range of constants (position ids, Swin's relative-position tables): start, start + delta,
// ... below limit (above it for a negative delta), in the inputs' type.
Result fold_range(const OnnxNode& n, Inputs in) {
  for (size_t i = 0; i < 3; ++i)
    if (in[i]->numel() != 1) return n.bad_input("start, limit and delta must be scalars");
  const double start = to_doubles(*in[0])[0], limit = to_doubles(*in[1])[0];
  const double delta = to_doubles(*in[2])[0];
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta))
    return n.bad_input("delta must be non-zero and the bounds finite");
  const double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (count > static_cast<double>(int64_t{1} << 24))
    return n.bad_input("the range has more than 2^24 elements");
  std::vector<double> v(static_cast<size_t>(count));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<double>(i) * delta;
  const int64_t len = static_cast<int64_t>(v.size());
  if (in[0]->float64) return one(make_const_f64({len}, v));
  return one(make_const_doubles(in[0]->dtype, {len}, v));
}

// Trilu of a constant (torch's causal masks: tril(ones(s, s))): keeps the lower (upper=0) or
// upper triangle of the last two dimensions, shifted by k; the rest becomes zero.
Result fold_trilu(const OnnxNode& n, Inputs in) {
  const ConstTensor& x = *in[0];
  if (x.shape.size() < 2) return n.bad_input("input must have rank >= 2");
  int64_t k = 0;
  if (in.size() > 1 && in[1]) {
    if (in[1]->numel() != 1) return n.bad_input("k must be a scalar");
    k = to_ints(*in[1])[0];
  }
  const bool upper = n.attr_int("upper", 1) != 0;
  const int64_t rows = x.shape[x.shape.size() - 2], cols = x.shape.back();
  const size_t es = x.elem_size();
  std::vector<std::byte> bytes(x.data->data(), x.data->data() + x.byte_size());
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t c = i % cols, r = (i / cols) % rows;
    const bool keep = upper ? c - r >= k : c - r <= k;
    if (!keep) std::memset(bytes.data() + static_cast<size_t>(i) * es, 0, es);
  }
  return one(make_const_like(x, x.shape, std::move(bytes)));
}

}  // namespace

void register_shape_folders(std::vector<FoldEntry>& out) {
  out.insert(out.end(), {{"Identity", fold_identity, 1},
                         {"Dropout", fold_dropout, 1},
                         {"Shape", fold_shape, 1},
                         {"Size", fold_size, 1},
                         {"Gather", fold_gather, 2},
                         {"Squeeze", fold_squeeze, 1},
                         {"Unsqueeze", fold_unsqueeze, 1},
                         {"Reshape", fold_reshape, 2},
                         {"Flatten", fold_flatten, 1},
                         {"Transpose", fold_transpose, 1},
                         {"Slice", fold_slice, 1},
                         {"Concat", fold_concat, 1},
                         {"ConstantOfShape", fold_constant_of_shape, 1},
                         {"Expand", fold_expand, 2},
                         {"Range", fold_range, 3},
                         {"Trilu", fold_trilu, 1}});
}

}  // namespace oqnn::onnx_import
