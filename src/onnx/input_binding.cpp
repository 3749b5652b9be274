#include "onnx/input_binding.h"

#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "onnx/tensor_proto.h"

namespace oqnn::onnx_import {
namespace {

using Dim = ::onnx::TensorShapeProto_Dimension;

std::string dim_text(const Dim& d) {
  if (d.has_dim_value() && d.dim_value() > 0) return std::to_string(d.dim_value());
  if (d.has_dim_param() && !d.dim_param().empty()) return d.dim_param();
  return "?";
}

std::string shape_text(const ::onnx::TypeProto_Tensor& t) {
  if (!t.has_shape()) return "(rank unknown)";
  std::vector<std::string> dims;
  for (const auto& d : t.shape().dim()) dims.push_back(dim_text(d));
  return fmt::format("[{}]", fmt::join(dims, ","));
}

Error unbound_error(const std::string& name, const ::onnx::TypeProto_Tensor& t,
                    const std::string& model) {
  std::string example = "1,3,224,224", symbol = "SYMBOL";
  if (t.has_shape()) {
    std::vector<std::string> dims;
    for (const auto& d : t.shape().dim()) {
      bool known = d.has_dim_value() && d.dim_value() > 0;
      dims.push_back(known ? std::to_string(d.dim_value()) : "1");
      if (!known && d.has_dim_param() && !d.dim_param().empty() && symbol == "SYMBOL")
        symbol = d.dim_param();
    }
    example = fmt::format("{}", fmt::join(dims, ","));
  }
  return bad_input("input '" + name + "' of " + model + " has unknown dimensions " + shape_text(t),
                   {"give its shape (ONNX layout) with --input_dim " + name + " " + example,
                    "or bind a symbolic batch dimension with --batch N",
                    "or bind a named dimension with --define_symbol " + symbol + " N"});
}

std::string list_names(const std::vector<const ::onnx::ValueInfoProto*>& inputs) {
  std::vector<std::string> names;
  for (const auto* vi : inputs) names.push_back("'" + vi->name() + "'");
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

// Bounds that keep every later shape computation far from int64 overflow.
bool sane_shape(const ir::Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d > (int64_t{1} << 40) / n) return false;
    n *= d;
  }
  return true;
}

}  // namespace

Expected<std::vector<BoundInput>> bind_inputs(const ::onnx::GraphProto& g,
                                              const std::set<std::string>& initializers,
                                              const ImportOptions& opts, bool lenient) {
  std::vector<const ::onnx::ValueInfoProto*> real;
  for (const auto& vi : g.input())
    if (!initializers.count(vi.name())) real.push_back(&vi);

  std::map<std::string, ir::Shape> given;
  for (const auto& [name, dims] : opts.input_dims) {
    bool known = false;
    for (const auto* vi : real) known = known || vi->name() == name;
    if (!known)
      return usage_error("--input_dim '" + name + "': " + opts.model_path +
                         " has no input of that name (its inputs: " + list_names(real) + ")");
    if (!given.emplace(name, dims).second)
      return usage_error("--input_dim '" + name + "' is given more than once");
    for (int64_t d : dims)
      if (d < 1) return usage_error("--input_dim '" + name + "': dimensions must be >= 1");
  }
  if (opts.batch && *opts.batch < 1) return usage_error("--batch must be >= 1");
  std::map<std::string, int64_t> symbols;
  for (const auto& [sym, v] : opts.define_symbols) {
    if (v < 1) return usage_error("--define_symbol " + sym + ": the value must be >= 1");
    symbols[sym] = v;
  }
  std::set<std::string> used_symbols;

  std::vector<BoundInput> out;
  for (const auto* vi : real) {
    const std::string& name = vi->name();
    if (!vi->has_type() || !vi->type().has_tensor_type())
      return unsupported("input '" + name + "': only tensor inputs are supported");
    const auto& tt = vi->type().tensor_type();
    auto dt = dtype_from_onnx(tt.elem_type());
    // As QNN's converter: float32 (the importer warns once for all float64 tensors).
    if (tt.elem_type() == ::onnx::TensorProto::DOUBLE) dt = ir::DataType::kFloat32;
    if (!dt)
      return unsupported(opts.model_path + ": input '" + name + "'" + reader_note(g, name) +
                         ": element type " + onnx_dtype_name(tt.elem_type()) +
                         " is not supported yet");
    // int64 values (token ids, indices) are narrowed to int32 as QNN's converter does;
    // with --keep_int64_inputs the input stays int64 and the importer narrows it inside.
    // float16 inputs stay float16 (converted to float32 inside; docs/dtypes.md).
    bool narrow = *dt == ir::DataType::kInt64 && !opts.keep_int64_inputs;
    BoundInput in{name, narrow ? ir::DataType::kInt32 : *dt, {}, true};
    auto it = given.find(name);
    if (it != given.end()) {
      if (tt.has_shape() && tt.shape().dim_size() != static_cast<int>(it->second.size()))
        return usage_error("--input_dim '" + name + "' gives " + std::to_string(it->second.size()) +
                           " dimensions but the model declares " +
                           std::to_string(tt.shape().dim_size()) + " " + shape_text(tt));
      in.shape = it->second;
    } else if (!tt.has_shape()) {
      in.bound = false;
    } else {
      for (int i = 0; i < tt.shape().dim_size(); ++i) {
        const Dim& d = tt.shape().dim(i);
        int64_t v = d.has_dim_value() ? d.dim_value() : 0;
        if (v <= 0 && d.has_dim_param() && symbols.count(d.dim_param())) {
          v = symbols[d.dim_param()];
          used_symbols.insert(d.dim_param());
        }
        if (v <= 0 && i == 0 && opts.batch) v = *opts.batch;
        if (v <= 0) in.bound = false;
        in.shape.push_back(v);
      }
    }
    if (!in.bound && !lenient) return unbound_error(name, tt, opts.model_path);
    if (in.bound && !sane_shape(in.shape))
      return bad_input("input '" + name + "' has shape " + ir::shape_str(in.shape) +
                       ", more than 2^40 elements");
    out.push_back(std::move(in));
  }
  for (const auto& [sym, v] : symbols)
    if (!used_symbols.count(sym))
      spdlog::warn("--define_symbol {}: no symbolic input dimension of {} is named so", sym,
                   opts.model_path);
  return out;
}

}  // namespace oqnn::onnx_import
