#include "run_backend.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/plan_source.h"
#include "runtime/quant_completion.h"
#include "runtime/raw_io.h"

namespace oqnn::conformance {
namespace {

template <class Binding>
Expected<const Binding*> binding_named(const std::vector<Binding>& bs, const std::string& name) {
  for (const Binding& b : bs)
    if (b.name == name) return &b;
  return internal_error("plan tensor '" + name + "' is not a graph input or output");
}

// float16's relative precision (2^-10), the bar for float16 outputs.
constexpr double kFloat16Step = 1.0 / 1024;

// Lower is worse for SQNR, higher is worse for relative error.
bool worse(double a, double b, const Tolerance& tol) {
  return tol.kind == Tolerance::Kind::kSqnr ? a < b : a > b;
}

// A static-maximum output (IoBinding::valid_count): `got` and `shape` become the valid
// prefix; `mismatch` says why not when the count or the other dims differ from `ref`'s.
Status take_valid_prefix(rt::Plan& plan, const std::vector<std::vector<std::byte>>& outputs,
                         const IoBinding& b, const ir::Shape& ref, std::vector<float>& got,
                         ir::Shape& shape, std::string& mismatch) {
  const auto axis = static_cast<size_t>(b.valid_axis);
  for (size_t c = 0; c < plan.outputs().size(); ++c) {
    if (plan.outputs()[c].name != b.valid_count) continue;
    const std::vector<float> n = rt::native_to_float(outputs[c], plan.outputs()[c]);
    const auto count = n.empty() ? int64_t{-1} : static_cast<int64_t>(n[0]);
    ir::Shape want = shape;
    if (axis < want.size() && ref.size() == want.size()) want[axis] = ref[axis];
    if (axis >= shape.size() || want != ref) {
      mismatch = "static shape " + ir::shape_str(shape) + " cannot hold " + ir::shape_str(ref);
    } else if (count != ref[axis]) {
      mismatch = fmt::format("valid count {} ('{}'), want {}", count, b.valid_count, ref[axis]);
    } else {
      got = valid_prefix(got, shape, b.valid_axis, count);
      shape = ref;
    }
    return Status::ok();
  }
  return internal_error("valid count '" + b.valid_count + "' is not a plan output");
}

// Runs data set `s` and judges every output; fills `out` with the worst verdict so far.
Status run_data_set(rt::Plan& plan, const PreparedTest& p, const DataSet& s, size_t set_index,
                    const Tolerance& tol, Outcome& out) {
  std::vector<std::vector<std::byte>> inputs;
  for (const rt::TensorInfo& info : plan.inputs()) {
    OQNN_ASSIGN_OR_RETURN(const IoBinding* b, binding_named(p.inputs, info.name));
    inputs.push_back(rt::float_to_native(graph_input_values(*b, s), info));
  }
  std::vector<std::vector<std::byte>> outputs;
  OQNN_RETURN_IF_ERROR(plan.execute(inputs, outputs));
  for (size_t k = 0; k < plan.outputs().size(); ++k) {
    const rt::TensorInfo& info = plan.outputs()[k];
    if (is_valid_count(p, info.name)) continue;  // judged with the output it counts
    OQNN_ASSIGN_OR_RETURN(const IoBinding* b, binding_named(p.outputs, info.name));
    const TensorData& ref = s.outputs[b->onnx_index];
    std::vector<float> got = rt::native_to_float(outputs[k], info);
    ir::Shape shape = info.shape;
    if (b->nhwc) {
      got = permute_nchw(got, info.shape, false);
      shape = {info.shape[0], info.shape[3], info.shape[1], info.shape[2]};
    }
    std::string where = fmt::format("output '{}' (data set {})", info.name, set_index);
    if (!b->valid_count.empty()) {
      std::string mismatch;
      OQNN_RETURN_IF_ERROR(take_valid_prefix(plan, outputs, *b, ref.shape, got, shape, mismatch));
      if (!mismatch.empty()) {
        out = {Result::kFail, where + ": " + mismatch};
        return Status::ok();
      }
    }
    if (shape != ref.shape) {
      out = {Result::kFail,
             where + ": shape " + ir::shape_str(shape) + ", want " + ir::shape_str(ref.shape)};
      return Status::ok();
    }
    // Integer and bool outputs (indices, masks, comparisons) must match exactly; a
    // quantized output (an encoding) is judged as the float it stands for.
    const bool exact = !ir::is_float(info.dtype) && !info.encoding;
    // A float16 output holds float16 precision: the graph computes float32 where the
    // reference computed float16 (docs/dtypes.md), a difference of float16 rounding steps.
    Tolerance t = exact ? Tolerance{Tolerance::Kind::kRelativeMaxAbs, 0, 0} : tol;
    if (info.dtype == ir::DataType::kFloat16 && t.kind == Tolerance::Kind::kRelativeMaxAbs)
      t.bar = std::max(t.bar, kFloat16Step);
    Verdict v = judge(got, ref.values, t);
    bool judged = out.result != Result::kError;
    bool was_pass = out.result == Result::kPass;
    // A failure outranks any pass; among equals the worse score is kept.
    if (!judged || (was_pass && !v.pass) || (v.pass == was_pass && worse(v.score, out.score, tol)))
      out = {v.pass ? Result::kPass : Result::kFail, where + ": " + v.detail, v.score};
  }
  return Status::ok();
}

}  // namespace

const char* result_name(Result r) {
  switch (r) {
    case Result::kPass:
      return "pass";
    case Result::kFail:
      return "fail";
    case Result::kUnsupported:
      return "unsupported";
    case Result::kError:
      break;
  }
  return "error";
}

Outcome outcome_of(const Error& e) {
  Result r = e.code == ErrorCode::kUnsupported ? Result::kUnsupported : Result::kError;
  return {r, e.message, 0};
}

Outcome run_on_backend(rt::Backend& backend, const std::string& backend_name, const PreparedTest& p,
                       const std::vector<DataSet>& sets, bool cpu_fallback) {
  const ir::Graph* graph = &p.graph;
  ir::Graph quantized;
  if (backend_name == "htp") {
    std::vector<std::vector<std::vector<float>>> samples;
    for (const DataSet& s : sets) samples.push_back(graph_inputs(p, s));
    quantized = p.graph;
    Status s = rt::complete_quantization(quantized, samples);
    if (!s) return outcome_of(s.error());
    graph = &quantized;
  }
  const rt::FallbackOptions fallback;  // allowed, default cpu configuration
  auto plan = cpu_fallback ? rt::finalize_with_fallback(backend, *graph, p.graph.name, &fallback)
                           : backend.finalize(*graph);
  if (!plan) return outcome_of(plan.error());
  Tolerance tol = tolerance_for(backend_name);
  Outcome out;  // kError until something is judged
  for (size_t i = 0; i < sets.size(); ++i) {
    Status s = run_data_set(*plan, p, sets[i], i, tol, out);
    if (!s) return outcome_of(s.error());
  }
  if (out.result == Result::kError) out.message = "the graph has no outputs to judge";
  return out;
}

}  // namespace oqnn::conformance
