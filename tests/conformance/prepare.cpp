#include "prepare.h"

#include <algorithm>

#include "convert/converter.h"

namespace oqnn::conformance {
namespace {

Expected<IoBinding> bind(const ir::Graph& g, ir::TensorId id,
                         const std::vector<std::string>& onnx_names, const char* what) {
  const std::string& name = g.tensor(id).name;
  for (size_t k = 0; k < onnx_names.size(); ++k) {
    if (onnx_names[k] != name) continue;
    auto it = g.attributes.find("io_layout." + name);
    bool nhwc = it != g.attributes.end() && it->second == "NHWC";
    IoBinding b{name, k, nhwc};
    if (auto c = g.attributes.find("valid_count." + name); c != g.attributes.end()) {
      b.valid_count = c->second;
      auto a = g.attributes.find("valid_axis." + name);
      b.valid_axis = a != g.attributes.end() ? std::stoll(a->second) : 0;
    }
    return b;
  }
  return internal_error(std::string("graph ") + what + " '" + name +
                        "' is not one of the model's " + what + "s");
}

}  // namespace

Expected<PreparedTest> prepare_test(const NodeTest& t, const DataSet& first,
                                    const std::string& model_path,
                                    const std::vector<std::string>& frozen) {
  convert::ConvertOptions o;
  o.input_network = model_path;
  for (size_t k = 0; k < t.input_names.size(); ++k) {
    if (!t.input_dynamic[k] || !t.input_is_tensor[k]) continue;
    if (std::find(frozen.begin(), frozen.end(), t.input_names[k]) != frozen.end()) continue;
    const ir::Shape& shape = first.inputs[k].shape;
    if (ir::num_elements(shape) == 0) {
      // What the converter's dry run refuses, if anything, is the better reason.
      auto refused = convert::dry_run(o);
      if (!refused && refused.error().code == ErrorCode::kUnsupported) return refused.error();
      if (refused && !refused->empty()) return unsupported(refused->front());
      return unsupported("input '" + t.input_names[k] + "' is fed an empty tensor " +
                         ir::shape_str(shape) + " (--input_dim takes dimensions >= 1)");
    }
    o.input_dims.emplace_back(t.input_names[k], shape);
  }
  std::vector<std::string> warnings;
  auto g = convert::prepare_graph(o, warnings);
  if (!g) return g.error();
  PreparedTest p{std::move(*g), {}, {}, {}};
  for (ir::TensorId id : p.graph.inputs) {
    auto b = bind(p.graph, id, t.input_names, "input");
    if (!b) return b.error();
    p.inputs.push_back(*b);
  }
  for (ir::TensorId id : p.graph.outputs) {
    if (is_valid_count(p, p.graph.tensor(id).name)) continue;
    auto b = bind(p.graph, id, t.output_names, "output");
    if (!b) return b.error();
    p.outputs.push_back(*b);
  }
  if (p.outputs.size() != t.output_names.size())
    return internal_error("the graph has " + std::to_string(p.outputs.size()) +
                          " outputs, the model " + std::to_string(t.output_names.size()));
  return p;
}

namespace {

// The graph's run-time dtypes the runner feeds and reads (through float32 values).
bool runnable_dtype(ir::DataType t) {
  return t != ir::DataType::kInt64;
}

}  // namespace

Status check_data(const PreparedTest& p, const std::vector<DataSet>& sets) {
  auto no_values = [](const TensorData& d) {
    return unsupported("the test feeds or expects " + d.onnx_dtype +
                       " data, which converted graphs do not hold");
  };
  for (const DataSet& s : sets) {
    for (const IoBinding& b : p.inputs) {
      const TensorData& d = s.inputs[b.onnx_index];
      if (!d.is_float && !d.is_integer) return no_values(d);
    }
    for (const TensorData& d : s.outputs)
      if (!d.is_float && !d.is_integer) return no_values(d);
  }
  for (size_t j = 0; j < p.inputs.size(); ++j) {
    const ir::Tensor& t = p.graph.tensor(p.graph.inputs[j]);
    if (!runnable_dtype(t.dtype))
      return unsupported("graph input '" + t.name + "' is " + std::string(ir::dtype_name(t.dtype)));
    for (const DataSet& s : sets) {
      ir::Shape shape = s.inputs[p.inputs[j].onnx_index].shape;
      if (p.inputs[j].nhwc) shape = nhwc_shape(shape);
      if (shape != t.shape)
        return bad_input("input '" + t.name + "': the data is " + ir::shape_str(shape) +
                         ", the graph wants " + ir::shape_str(t.shape));
    }
  }
  for (ir::TensorId id : p.graph.outputs)
    if (!runnable_dtype(p.graph.tensor(id).dtype))
      return unsupported("graph output '" + p.graph.tensor(id).name + "' is " +
                         std::string(ir::dtype_name(p.graph.tensor(id).dtype)));
  return Status::ok();
}

bool is_valid_count(const PreparedTest& p, const std::string& name) {
  for (const auto& [key, value] : p.graph.attributes)
    if (key.rfind("valid_count.", 0) == 0 && value == name) return true;
  return false;
}

std::vector<float> valid_prefix(std::span<const float> v, const ir::Shape& shape, int64_t axis,
                                int64_t count) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    (d < axis ? outer : inner) *= d == axis ? 1 : shape[static_cast<size_t>(d)];
  const int64_t dim = shape[static_cast<size_t>(axis)];
  std::vector<float> out;
  for (int64_t o = 0; o < outer; ++o)
    out.insert(out.end(), v.begin() + o * dim * inner, v.begin() + (o * dim + count) * inner);
  return out;
}

ir::Shape nhwc_shape(const ir::Shape& s) {
  return s.size() == 4 ? ir::Shape{s[0], s[2], s[3], s[1]} : s;
}

std::vector<float> permute_nchw(std::span<const float> v, const ir::Shape& shape, bool to_nhwc) {
  if (shape.size() != 4) return {v.begin(), v.end()};
  // `shape` is the source's: [N,C,H,W] going to NHWC, [N,H,W,C] coming back.
  size_t n = static_cast<size_t>(shape[0]);
  size_t c = static_cast<size_t>(to_nhwc ? shape[1] : shape[3]);
  size_t hw = static_cast<size_t>(to_nhwc ? shape[2] * shape[3] : shape[1] * shape[2]);
  std::vector<float> out(v.size());
  for (size_t b = 0; b < n; ++b)
    for (size_t ch = 0; ch < c; ++ch)
      for (size_t i = 0; i < hw; ++i) {
        size_t nchw = (b * c + ch) * hw + i, nhwc = (b * hw + i) * c + ch;
        if (to_nhwc)
          out[nhwc] = v[nchw];
        else
          out[nchw] = v[nhwc];
      }
  return out;
}

std::vector<float> graph_input_values(const IoBinding& b, const DataSet& s) {
  const TensorData& d = s.inputs[b.onnx_index];
  return b.nhwc ? permute_nchw(d.values, d.shape, true) : d.values;
}

std::vector<std::vector<float>> graph_inputs(const PreparedTest& p, const DataSet& s) {
  std::vector<std::vector<float>> v;
  for (const IoBinding& b : p.inputs) v.push_back(graph_input_values(b, s));
  return v;
}

}  // namespace oqnn::conformance
