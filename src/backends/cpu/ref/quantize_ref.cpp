// Quantize and Dequantize (ONNX QuantizeLinear / DequantizeLinear), element by element with
// the per-tensor, per-axis or blocked parameters of ir/affine_quant.h: the arithmetic the
// importer's constant folder uses too, as onnxruntime computes it.
#include "backends/cpu/kernel_registry.h"
#include "ir/affine_quant.h"

namespace oqnn::cpu {
namespace {

Expected<KernelPtr> make_quantize(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Tensor& x = g.tensor(n.inputs[0]);
  ir::DataType qtype = g.tensor(n.outputs[0]).dtype;
  ir::AffineQuant q = ir::affine_quant_from(n.params);
  std::string why = ir::check_affine_quant(q, x.shape, qtype);
  if (!why.empty()) return node_bad_input(n, why);
  if (x.dtype != ir::DataType::kFloat32) return node_unsupported(n, "input must be float32");
  ir::AffineIndex at(q, x.shape);
  int64_t lo = ir::dtype_min(qtype), hi = ir::dtype_max(qtype);
  return dispatch_dtype(n, qtype, [&](auto qout) -> Expected<KernelPtr> {
    using Out = decltype(qout);
    return make_fn_kernel([q, at, lo, hi](std::span<const rt::HostTensor> in,
                                          std::span<const rt::HostTensor> out,
                                          const rt::KernelContext&) {
      const float* src = in[0].as<const float>();
      Out* dst = out[0].as<Out>();
      const int64_t count = out[0].elements();
      for (int64_t i = 0; i < count; ++i) {
        size_t c = at(i);
        dst[i] = static_cast<Out>(ir::quantize_affine(src[i], q.scale[c], q.zero_point[c], lo, hi));
      }
      return Status::ok();
    });
  });
}

Expected<KernelPtr> make_dequantize(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Tensor& x = g.tensor(n.inputs[0]);
  ir::AffineQuant q = ir::affine_quant_from(n.params);
  std::string why = ir::check_affine_quant(q, x.shape, x.dtype);
  if (!why.empty()) return node_bad_input(n, why);
  ir::AffineIndex at(q, x.shape);
  return dispatch_dtype(n, x.dtype, [&](auto qin) -> Expected<KernelPtr> {
    using In = decltype(qin);
    return make_fn_kernel([q, at](std::span<const rt::HostTensor> in,
                                  std::span<const rt::HostTensor> out, const rt::KernelContext&) {
      const In* src = in[0].as<const In>();
      float* dst = out[0].as<float>();
      const int64_t count = out[0].elements();
      for (int64_t i = 0; i < count; ++i) {
        size_t c = at(i);
        dst[i] = ir::dequantize_affine(static_cast<int64_t>(src[i]), q.scale[c], q.zero_point[c]);
      }
      return Status::ok();
    });
  });
}

}  // namespace

void register_quantize_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"Quantize", make_quantize, nullptr, "float32,int8,uint8,int16,uint16",
               "per tensor, per axis or blocked; round half to even, saturate"});
  k.push_back({"Dequantize", make_dequantize, nullptr, "float32,int8,uint8,int16,uint16,int32",
               "per tensor, per axis or blocked"});
}

}  // namespace oqnn::cpu
