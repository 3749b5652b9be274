#include "htp_test_util.h"

#include <cstring>

#include "backends/htp/quantize_graph.h"
#include "ir/op_def.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {

ir::Encoding u8(double min, double max) {
  return quant::tf_encoding(min, max, 8);
}
ir::Encoding u16(double min, double max) {
  return quant::tf_encoding(min, max, 16);
}

ir::TensorId GraphBuilder::input(const std::string& name, ir::Shape shape,
                                 std::optional<ir::Encoding> e) {
  ir::TensorId id = g.add_tensor({name, ir::DataType::kFloat32, std::move(shape),
                                  ir::TensorKind::kInput, nullptr, std::move(e)});
  g.inputs.push_back(id);
  return id;
}

ir::TensorId GraphBuilder::constant(const std::string& name, ir::Shape shape,
                                    const std::vector<float>& v, std::optional<ir::Encoding> e) {
  ir::TensorId id = g.add_static(name, ir::DataType::kFloat32, std::move(shape),
                                 make_owned_blob(v.data(), v.size() * sizeof(float)));
  g.tensor(id).encoding = std::move(e);
  return id;
}

ir::TensorId GraphBuilder::node(const std::string& op, std::vector<ir::TensorId> inputs,
                                std::optional<ir::Encoding> out_encoding, ir::Params params,
                                bool output) {
  ir::Node n{g.unique_node_name(op), op, std::move(inputs), {}, std::move(params)};
  ir::TensorId out = g.add_intermediate(n.name + "_out", ir::DataType::kFloat32, {});
  n.outputs = {out};
  auto shapes = ir::find_op(op)->infer(g, n);
  if (shapes) {
    g.tensor(out).shape = (*shapes)[0].shape;
    g.tensor(out).dtype = (*shapes)[0].dtype;  // float32, or int32 / bool (Argmax, Equal)
  }
  g.tensor(out).encoding = std::move(out_encoding);
  if (output) {
    g.tensor(out).kind = ir::TensorKind::kOutput;
    g.outputs.push_back(out);
  }
  g.nodes.push_back(std::move(n));
  return out;
}

std::vector<float> random_floats(size_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

Bytes random_codes(const ir::Tensor& t, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t n = ir::num_elements(t.shape);
  Bytes b(static_cast<size_t>(n) * ir::dtype_size(t.dtype));
  if (t.dtype == ir::DataType::kUInt8) {
    std::uniform_int_distribution<int> d(0, 255);
    for (int64_t i = 0; i < n; ++i) b[i] = static_cast<std::byte>(d(rng));
  } else {
    std::uniform_int_distribution<int> d(0, 65535);
    auto* p = reinterpret_cast<uint16_t*>(b.data());
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<uint16_t>(d(rng));
  }
  return b;
}

Expected<ir::Graph> finalize_graph(const ir::Graph& g, bool widen16) {
  QuantizeOptions o;
  o.widen_activations_to_16 = widen16;
  return quantize_graph(g, o);
}

Expected<std::unique_ptr<rt::HostPlan>> make_plan(const ir::Graph& quantized, KernelVariant v,
                                                  int threads) {
  return rt::HostPlan::create(quantized, kernel_factory(v), threads);
}

Expected<std::vector<Bytes>> run_plan(rt::PlanImpl& plan, const std::vector<Bytes>& inputs) {
  std::vector<OqnnTensorView> in, out;
  std::vector<Bytes> outputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ir::Tensor& t = plan.inputs()[i];
    in.push_back({t.name.c_str(), static_cast<int32_t>(t.dtype),
                  static_cast<uint32_t>(t.shape.size()), t.shape.data(),
                  const_cast<std::byte*>(inputs[i].data()), inputs[i].size(), nullptr});
  }
  for (const ir::Tensor& t : plan.outputs())
    outputs.emplace_back(static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype));
  for (size_t i = 0; i < outputs.size(); ++i) {
    const ir::Tensor& t = plan.outputs()[i];
    out.push_back({t.name.c_str(), static_cast<int32_t>(t.dtype),
                   static_cast<uint32_t>(t.shape.size()), t.shape.data(), outputs[i].data(),
                   outputs[i].size(), nullptr});
  }
  Status s = plan.execute(in, out, nullptr);
  if (!s.is_ok()) return s.error();
  return outputs;
}

std::vector<Bytes> random_inputs(const rt::PlanImpl& plan, uint32_t seed) {
  std::vector<Bytes> v;
  for (const ir::Tensor& t : plan.inputs()) v.push_back(random_codes(t, seed++));
  return v;
}

std::vector<int32_t> codes_of(const ir::Tensor& t, const Bytes& b) {
  const size_t n = b.size() / ir::dtype_size(t.dtype);
  std::vector<int32_t> c(n);
  for (size_t i = 0; i < n; ++i) {
    switch (t.dtype) {
      case ir::DataType::kUInt8:
        c[i] = reinterpret_cast<const uint8_t*>(b.data())[i];
        break;
      case ir::DataType::kInt8:
        c[i] = reinterpret_cast<const int8_t*>(b.data())[i];
        break;
      case ir::DataType::kUInt16:
        c[i] = reinterpret_cast<const uint16_t*>(b.data())[i];
        break;
      case ir::DataType::kInt16:
        c[i] = reinterpret_cast<const int16_t*>(b.data())[i];
        break;
      default:
        c[i] = reinterpret_cast<const int32_t*>(b.data())[i];
        break;
    }
  }
  return c;
}

std::vector<double> dequantize(const ir::Tensor& t, const std::vector<int32_t>& codes) {
  const ir::Encoding& e = *t.encoding;
  int64_t stride = 1, dim = 1;
  if (e.per_axis()) {
    dim = t.shape[static_cast<size_t>(e.axis)];
    for (size_t d = static_cast<size_t>(e.axis) + 1; d < t.shape.size(); ++d) stride *= t.shape[d];
  }
  std::vector<double> r(codes.size());
  for (size_t i = 0; i < codes.size(); ++i)
    r[i] = quant::dequantize_value(codes[i], e, static_cast<size_t>((int64_t(i) / stride) % dim));
  return r;
}

std::vector<double> static_reals(const ir::Tensor& t) {
  if (t.dtype == ir::DataType::kFloat32) {
    auto f = t.values<float>();
    return {f.begin(), f.end()};
  }
  Bytes b(t.data->size());
  std::memcpy(b.data(), t.data->data(), b.size());
  return dequantize(t, codes_of(t, b));
}

}  // namespace oqnn::htp::test

#include <algorithm>

#include "float_sim.h"

namespace oqnn::htp::test {

void calibrate(ir::Graph& g, int bits, uint32_t seed, int samples) {
  std::vector<double> lo(g.tensors.size(), INFINITY), hi(g.tensors.size(), -INFINITY);
  for (int s = 0; s < samples; ++s) {
    std::vector<Reals> inputs;
    for (ir::TensorId t : g.inputs) {
      const ir::Tensor& in = g.tensor(t);
      auto v = random_floats(static_cast<size_t>(ir::num_elements(in.shape)),
                             static_cast<float>(in.encoding->min()),
                             static_cast<float>(in.encoding->max()), seed + 101 * s + t);
      inputs.emplace_back(v.begin(), v.end());
    }
    for (const auto& [id, vals] : simulate_graph(g, inputs)) {
      for (double v : vals) {
        lo[id] = std::min(lo[id], v);
        hi[id] = std::max(hi[id], v);
      }
    }
  }
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (!g.tensors[t].is_static() && !g.tensors[t].encoding && lo[t] <= hi[t])
      g.tensors[t].encoding = quant::tf_encoding(lo[t], hi[t], bits);
}

ir::Encoding per_channel_encoding(const ir::Shape& shape, const std::vector<float>& v, int axis) {
  const int64_t dim = shape[static_cast<size_t>(axis)];
  int64_t stride = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) stride *= shape[d];
  std::vector<double> absmax(static_cast<size_t>(dim), 1e-8);
  for (size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<size_t>((static_cast<int64_t>(i) / stride) % dim);
    absmax[c] = std::max(absmax[c], static_cast<double>(std::fabs(v[i])));
  }
  ir::Encoding e{8, true, true, axis, {}, {}};
  for (double a : absmax) {
    e.scale.push_back(a / 127.0);
    e.offset.push_back(0);
  }
  return e;
}

}  // namespace oqnn::htp::test
