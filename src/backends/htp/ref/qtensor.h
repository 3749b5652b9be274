// What every HTP kernel needs to read a finalized (quantized) graph: typed access to the
// integer codes of a tensor, per-tensor and per-channel quantization parameters, the code
// range left after a fused activation, and the multipliers that requantize between scales.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "quant/fixed_point.h"
#include "support/status.h"

namespace oqnn::htp {

// Per-tensor parameters of an activation (or any per-tensor quantized operand).
struct QParams {
  double scale = 1.0;
  int32_t zero_point = 0;  // = -offset (QNN convention real = scale * (q + offset))
  int32_t qmin = 0, qmax = 255;
  double real(int32_t q) const { return scale * static_cast<double>(q - zero_point); }
  // Round half away from zero, then clamp: the same rule as quant::quantize_value.
  int32_t code(double real) const;
};

// Per-channel parameters of a weight-like operand (one entry when per-tensor).
struct ChannelQParams {
  std::vector<double> scale;
  std::vector<int32_t> zero_point;
  double scale_at(int64_t c) const { return scale.size() == 1 ? scale[0] : scale[c]; }
  int32_t zero_at(int64_t c) const {
    return zero_point.size() == 1 ? zero_point[0] : zero_point[c];
  }
};

Expected<QParams> qparams_of(const ir::Tensor& t, const ir::Node& n);
// `axis` is the only per-axis layout accepted; `channels` the size of that axis.
Expected<ChannelQParams> channel_qparams_of(const ir::Tensor& t, int axis, int64_t channels,
                                            const ir::Node& n);

// [lo, hi] output codes after the node's fused_activation ("relu", "clip" with
// clip_min/clip_max); the full code range when there is none.
Expected<std::pair<int32_t, int32_t>> fused_range(const ir::Node& n, const QParams& out);

// A bias of `real` in accumulator units (real / acc_scale, rounded), bounded to +-2^60:
// llround is undefined past int64, and the bound keeps acc + bias inside int64.
int64_t bias_to_acc(double real, double acc_scale);

// Element i of an integer tensor (uint8, int8, uint16, int16, int32) as int32. The dtype
// switch is loop-invariant; the compiler unswitches it out of the kernels' loops.
class CodeReader {
 public:
  CodeReader(const std::byte* data, ir::DataType dt) : p_(data), dt_(dt) {}
  int32_t operator[](int64_t i) const {
    switch (dt_) {
      case ir::DataType::kUInt8:
        return reinterpret_cast<const uint8_t*>(p_)[i];
      case ir::DataType::kInt8:
        return reinterpret_cast<const int8_t*>(p_)[i];
      case ir::DataType::kUInt16:
        return reinterpret_cast<const uint16_t*>(p_)[i];
      case ir::DataType::kInt16:
        return reinterpret_cast<const int16_t*>(p_)[i];
      default:
        return reinterpret_cast<const int32_t*>(p_)[i];
    }
  }

 private:
  const std::byte* p_;
  ir::DataType dt_;
};

class CodeWriter {
 public:
  CodeWriter(std::byte* data, ir::DataType dt) : p_(data), dt_(dt) {}
  void set(int64_t i, int32_t v) const {
    switch (dt_) {
      case ir::DataType::kUInt8:
        reinterpret_cast<uint8_t*>(p_)[i] = static_cast<uint8_t>(v);
        break;
      case ir::DataType::kInt8:
        reinterpret_cast<int8_t*>(p_)[i] = static_cast<int8_t>(v);
        break;
      case ir::DataType::kUInt16:
        reinterpret_cast<uint16_t*>(p_)[i] = static_cast<uint16_t>(v);
        break;
      case ir::DataType::kInt16:
        reinterpret_cast<int16_t*>(p_)[i] = static_cast<int16_t>(v);
        break;
      default:
        reinterpret_cast<int32_t*>(p_)[i] = v;
        break;
    }
  }

 private:
  std::byte* p_;
  ir::DataType dt_;
};

inline CodeReader static_codes(const ir::Tensor& t) {
  return {t.data->data(), t.dtype};
}

// Maps codes of one per-tensor encoding onto another (Concat, Pad, Reshape, pools when the
// encodings differ): out = requantize(q - zi, s_in / s_out). Identity when they agree.
class Requantizer {
 public:
  Requantizer(const QParams& in, const QParams& out);
  bool identity() const { return identity_; }
  int32_t operator()(int32_t q) const {
    if (identity_) return q;
    return quant::requantize(q - zi_, m_, zo_, qmin_, qmax_);
  }

 private:
  bool identity_;
  quant::QuantizedMultiplier m_;
  int32_t zi_, zo_, qmin_, qmax_;
};

// Checks that a kernel's tensors are what finalize produces (unsigned 8/16-bit codes).
Status check_activation(const ir::Tensor& t, const ir::Node& n);
// check_activation, then the tensor's per-tensor parameters.
Expected<QParams> activation_qparams(const ir::Tensor& t, const ir::Node& n);

// Integer and bool tensors the HTP keeps in their own dtype, unquantized (QNN's INT_32 and
// BOOL_8 tensors: indices, masks, comparison results). ONNX int64 is int32 by then.
inline bool is_unquantized_dtype(ir::DataType dt) {
  return dt == ir::DataType::kInt32 || dt == ir::DataType::kBool;
}
// A tensor of such a dtype without an encoding: its values are plain integers or bools.
inline bool is_unquantized(const ir::Tensor& t) {
  return !t.encoding && is_unquantized_dtype(t.dtype);
}

// Integer codes: the 8- or 16-bit integer tensor a Quantize writes or a Dequantize reads
// (ONNX QuantizeLinear / DequantizeLinear), without an encoding. Its values are the codes
// themselves, plain integers as on the CPU, so graph I/O and partition boundaries pass them
// unchanged; the node's scale and zero point are their encoding (ir::affine_encoding). No
// other op reads or writes them on the HTP (its uint8 / uint16 tensors are quantized floats).
inline bool is_code_dtype(ir::DataType dt) {
  return dt == ir::DataType::kUInt8 || dt == ir::DataType::kInt8 || dt == ir::DataType::kUInt16 ||
         dt == ir::DataType::kInt16;
}
inline bool is_integer_codes(const ir::Tensor& t) {
  return !t.encoding && !t.is_static() && is_code_dtype(t.dtype);
}
// Whether `n` writes (Quantize, output 0) or reads (Dequantize, input 0) tensor `t` as codes.
inline bool codes_of(const ir::Node& n, ir::TensorId t) {
  return (n.op == "Quantize" && !n.outputs.empty() && n.outputs[0] == t) ||
         (n.op == "Dequantize" && !n.inputs.empty() && n.inputs[0] == t);
}

}  // namespace oqnn::htp
