// quantize_static_operands: the static-data half of HTP finalize (see quantize_graph.h).
#include <algorithm>
#include <cmath>
#include <map>

#include "backends/htp/quantize_graph.h"
#include "backends/htp/ref/qtensor.h"
#include "ir/op_def.h"
#include "quant/encoding_math.h"

namespace oqnn::htp {
namespace {

enum class Role { kWeight, kBias, kOperand };

Role role_of(const ir::Node& n, size_t input) {
  const bool linear = ir::weight_channel_axis(n.op) >= 0;
  if (linear && input == 1) return Role::kWeight;
  if (linear && input == 2) return Role::kBias;
  if (n.op == "MatMul" && input == 1) return Role::kWeight;
  return Role::kOperand;
}

Error tensor_error(ErrorCode code, const ir::Tensor& t, const ir::Node& n, const std::string& w) {
  return make_error(code,
                    "node '" + n.name + "' (" + n.op + "): static tensor '" + t.name + "' " + w);
}

// Real values of a static tensor: float32 data, or integer data through its encoding.
Expected<std::vector<double>> real_values(const ir::Tensor& t, const ir::Node& n) {
  const int64_t count = ir::num_elements(t.shape);
  std::vector<double> v(static_cast<size_t>(count));
  if (t.dtype == ir::DataType::kFloat32) {
    auto f = t.values<float>();
    for (int64_t i = 0; i < count; ++i) v[i] = f[i];
    return v;
  }
  if (ir::is_float(t.dtype) || !t.encoding || t.encoding->scale.empty())
    return tensor_error(ErrorCode::kUnsupported, t, n,
                        "is " + std::string(ir::dtype_name(t.dtype)) +
                            " without an encoding; HTP needs float32 or quantized data");
  std::vector<float> tmp(static_cast<size_t>(count));
  const ir::Encoding& e = *t.encoding;
  if (!e.per_axis()) {
    quant::dequantize_buffer(t.data->data(), tmp.size(), e, tmp.data());
    for (int64_t i = 0; i < count; ++i) v[i] = tmp[i];
    return v;
  }
  return tensor_error(ErrorCode::kUnsupported, t, n, "is pre-quantized per axis; pass float data");
}

Expected<ir::Encoding> weight_encoding(const ir::Tensor& t, const ir::Node& n,
                                       const std::vector<double>& v) {
  if (!t.encoding) {
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return v.empty() ? quant::symmetric_encoding(0, 0, 8) : quant::symmetric_encoding(*lo, *hi, 8);
  }
  const ir::Encoding& e = *t.encoding;
  if (e.bitwidth < 2 || e.bitwidth > 16)
    return tensor_error(ErrorCode::kUnsupported, t, n,
                        "has a " + std::to_string(e.bitwidth) + "-bit encoding (weights: 2 to 16)");
  if (e.scale.empty() || e.scale.size() != e.offset.size())
    return tensor_error(ErrorCode::kBadInput, t, n, "has a malformed encoding");
  for (double s : e.scale)
    if (!std::isfinite(s) || s <= 0.0)
      return tensor_error(ErrorCode::kBadInput, t, n, "has a non-positive encoding scale");
  const int axis = ir::weight_channel_axis(n.op);  // -1: per-tensor only
  if (e.per_axis() && (e.axis != axis ||
                       static_cast<int64_t>(e.scale.size()) != t.shape[static_cast<size_t>(axis)]))
    return tensor_error(ErrorCode::kUnsupported, t, n,
                        "is quantized per axis " + std::to_string(e.axis) +
                            "; HTP takes per-output-channel weights of " + n.op +
                            (axis < 0 ? " per-tensor only" : " on axis " + std::to_string(axis)));
  if (!e.per_axis() && e.scale.size() != 1)
    return tensor_error(ErrorCode::kBadInput, t, n, "has a malformed encoding");
  return e;
}

Expected<ir::Encoding> operand_encoding(const ir::Tensor& t, const ir::Node& n,
                                        const std::vector<double>& v, int bitwidth) {
  if (!t.encoding) {
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return v.empty() ? quant::tf_encoding(0, 0, bitwidth) : quant::tf_encoding(*lo, *hi, bitwidth);
  }
  ir::Encoding e = *t.encoding;
  if (e.per_axis() || e.scale.size() != 1 || e.offset.size() != 1)
    return tensor_error(ErrorCode::kUnsupported, t, n, "needs a per-tensor encoding on HTP");
  if (!std::isfinite(e.scale[0]) || e.scale[0] <= 0.0)
    return tensor_error(ErrorCode::kBadInput, t, n, "has a non-positive encoding scale");
  if (e.bitwidth != 8 && e.bitwidth != 16)
    return tensor_error(ErrorCode::kUnsupported, t, n, "must be 8- or 16-bit");
  if (e.is_signed) e.offset[0] -= int32_t{1} << (e.bitwidth - 1);  // stored unsigned
  e.is_signed = false;
  e.symmetric = false;
  return e;
}

// int32, offset 0, scale s_in * s_w[c]: per channel when the weight is.
ir::Encoding bias_encoding(const ir::Tensor& in, const ir::Tensor& weight) {
  const ir::Encoding& w = *weight.encoding;
  ir::Encoding e;
  e.bitwidth = 32;
  e.is_signed = true;
  e.symmetric = true;
  e.axis = w.per_axis() ? 0 : -1;
  for (double s : w.scale) {
    e.scale.push_back(in.encoding->scale[0] * s);
    e.offset.push_back(0);
  }
  return e;
}

ir::DataType storage_type(const ir::Encoding& e) {
  if (e.bitwidth > 16) return ir::DataType::kInt32;
  if (e.bitwidth > 8) return e.is_signed ? ir::DataType::kInt16 : ir::DataType::kUInt16;
  return e.is_signed ? ir::DataType::kInt8 : ir::DataType::kUInt8;
}

std::shared_ptr<Blob> quantize_data(const std::vector<double>& v, const ir::Tensor& t,
                                    const ir::Encoding& e) {
  // Channel of element i along e.axis (row-major): (i / stride) % dim.
  int64_t stride = 1, dim = 1;
  if (e.per_axis()) {
    dim = t.shape[static_cast<size_t>(e.axis)];
    for (size_t d = static_cast<size_t>(e.axis) + 1; d < t.shape.size(); ++d) stride *= t.shape[d];
  }
  const ir::DataType dt = storage_type(e);
  std::vector<std::byte> bytes(v.size() * ir::dtype_size(dt));
  for (size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<size_t>((static_cast<int64_t>(i) / stride) % dim);
    const int32_t q = quant::quantize_value(v[i], e, c);
    switch (dt) {
      case ir::DataType::kInt8:
        reinterpret_cast<int8_t*>(bytes.data())[i] = int8_t(q);
        break;
      case ir::DataType::kUInt8:
        reinterpret_cast<uint8_t*>(bytes.data())[i] = uint8_t(q);
        break;
      case ir::DataType::kInt16:
        reinterpret_cast<int16_t*>(bytes.data())[i] = int16_t(q);
        break;
      case ir::DataType::kUInt16:
        reinterpret_cast<uint16_t*>(bytes.data())[i] = uint16_t(q);
        break;
      default:
        reinterpret_cast<int32_t*>(bytes.data())[i] = q;
        break;
    }
  }
  return make_owned_blob(std::move(bytes));
}

// The bitwidth of the node's quantized activations: its first quantized output's, else its
// first quantized run-time input's (a comparison's output is bool), else 8.
int activation_bitwidth(const ir::Graph& g, const ir::Node& n) {
  for (const auto* ids : {&n.outputs, &n.inputs})
    for (ir::TensorId id : *ids)
      if (id >= 0 && !g.tensor(id).is_static() && g.tensor(id).encoding)
        return g.tensor(id).encoding->bitwidth;
  return 8;
}

const char* role_suffix(Role r) {
  return r == Role::kWeight ? "_weight" : r == Role::kBias ? "_bias" : "_operand";
}

}  // namespace

Status quantize_static_operands(ir::Graph& g) {
  // Original real values and the encoding each static tensor was given first; a second
  // consumer that needs another encoding gets its own copy.
  std::map<ir::TensorId, std::vector<double>> originals;
  std::map<ir::TensorId, ir::Encoding> assigned;
  for (ir::Node& n : g.nodes) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const ir::TensorId id = n.inputs[i];
      // int32 / bool data (indices, masks) stays as it is: it is not quantized.
      if (id < 0 || !g.tensor(id).is_static() || is_unquantized(g.tensor(id))) continue;
      if (!originals.count(id)) {
        OQNN_ASSIGN_OR_RETURN(originals[id], real_values(g.tensor(id), n));
      }
      const std::vector<double>& values = originals.at(id);
      const ir::Tensor& t = g.tensor(id);
      const Role role = role_of(n, i);
      ir::Encoding e;
      if (role == Role::kWeight) {
        OQNN_ASSIGN_OR_RETURN(e, weight_encoding(t, n, values));
      } else if (role == Role::kBias) {
        e = bias_encoding(g.tensor(n.inputs[0]), g.tensor(n.inputs[1]));
      } else {
        OQNN_ASSIGN_OR_RETURN(e, operand_encoding(t, n, values, activation_bitwidth(g, n)));
      }
      auto it = assigned.find(id);
      if (it != assigned.end() && it->second == e) continue;
      ir::TensorId target = id;
      if (it != assigned.end()) {
        ir::Tensor copy = t;
        copy.name = g.unique_tensor_name(t.name + role_suffix(role));
        target = g.add_tensor(std::move(copy));
        originals[target] = values;
        n.inputs[i] = target;
      }
      ir::Tensor& dst = g.tensor(target);
      dst.data = quantize_data(values, dst, e);
      dst.dtype = storage_type(e);
      dst.encoding = e;
      assigned[target] = std::move(e);
    }
  }
  return Status::ok();
}

}  // namespace oqnn::htp
