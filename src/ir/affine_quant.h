// ONNX's affine quantization (QuantizeLinear / DequantizeLinear), shared by the op table
// (Quantize, Dequantize), the importer's constant folder and the kernels, so that all of
// them check the same parameters and compute the same numbers. Unlike the HTP's
// fixed-point math (quant/, real = scale * (q + offset), rounding half away from zero), this
// is the ONNX convention, exactly as onnxruntime computes it:
//   quantize:   q = saturate(round_half_even(x / scale) + zero_point)  (float32 division)
//   dequantize: x = float(q - zero_point) * scale                      (float32 product)
// Parameters are per tensor (one scale), per axis (one per index of `axis`) or blocked
// (opset 21 block_size: one per `block_size` consecutive indices of `axis`, the scale shaped
// like the data with that dim divided, rounded up).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/encoding.h"
#include "ir/params.h"
#include "ir/types.h"

namespace oqnn::ir {

struct AffineQuant {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;  // as many as scale
  int64_t axis = -1;                // -1: per tensor; else in [0, rank)
  int64_t block_size = 0;           // 0: not blocked
};

// As node params: "scale" (floats), "zero_point" (ints), "axis" and "block_size" (ints,
// present only when per axis / blocked).
AffineQuant affine_quant_from(const Params& p);
void set_affine_quant(Params& p, const AffineQuant& q);

// The integer types the ops quantize to / dequantize from (int32 only for Dequantize).
bool is_affine_quant_dtype(DataType t);
int64_t dtype_min(DataType t);  // of an integer dtype
int64_t dtype_max(DataType t);

// Why `q` cannot describe data of shape `x` quantized as `qtype` (scale <= 0 or not finite,
// a zero point outside qtype's range, a parameter count that does not match the axis dim,
// an axis out of range, ...); empty when it can. `axis` must already be non-negative.
std::string check_affine_quant(const AffineQuant& q, const Shape& x, DataType qtype);

// The per-tensor parameters of `q` as the encoding of codes stored as `qtype` (QNN's
// convention: offset = -zero_point; signed for int8 / int16), for 8- and 16-bit codes; empty
// when `q` is per axis or blocked, or `qtype` is int32. A Quantize's output codes and a
// Dequantize's input codes have this encoding, so a Dequantize's float output can keep it
// (no loss) and a quantizer can read an activation's encoding off a Quantize.
std::optional<Encoding> affine_encoding(const AffineQuant& q, DataType qtype);

// Maps an element's flat index to the index of its scale and zero point.
class AffineIndex {
 public:
  AffineIndex(const AffineQuant& q, const Shape& x);
  size_t operator()(int64_t i) const {
    if (dim_ == 0) return 0;
    int64_t a = (i / inner_) % dim_;
    if (block_ == 0) return static_cast<size_t>(a);
    int64_t outer = i / (dim_ * inner_), in = i % inner_;
    return static_cast<size_t>((outer * blocks_ + a / block_) * inner_ + in);
  }

  // The geometry, for kernels that compute the index themselves (the GPU's).
  int64_t dim() const { return dim_; }
  int64_t inner() const { return inner_; }
  int64_t block() const { return block_; }
  int64_t blocks() const { return blocks_; }

 private:
  // dim_ 0: per tensor; block_ 0: per axis (a 1-D scale), else blocked (scale shaped like x).
  int64_t dim_ = 0, inner_ = 1, block_ = 0, blocks_ = 1;
};

// round_half_even(x / scale) + zero_point, saturated to [qmin, qmax]; NaN gives qmin (as
// onnxruntime's vectorized MLAS kernel does).
inline int64_t quantize_affine(float x, float scale, int64_t zero_point, int64_t qmin,
                               int64_t qmax) {
  float v = std::nearbyint(x / scale) + static_cast<float>(zero_point);
  if (std::isnan(v)) return qmin;
  if (v <= static_cast<float>(qmin)) return qmin;
  if (v >= static_cast<float>(qmax)) return qmax;
  return static_cast<int64_t>(v);
}

inline float dequantize_affine(int64_t q, float scale, int64_t zero_point) {
  return static_cast<float>(q - zero_point) * scale;
}

}  // namespace oqnn::ir
