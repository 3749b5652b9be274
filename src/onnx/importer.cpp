// The import driver: load, bind inputs, then for each ONNX node in order either fold it
// (constants and static shapes) or translate it, and finally pick outputs and prune.
// A dry run walks the same path but records unsupported nodes instead of stopping.
#include "onnx/importer.h"

#include <deque>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "onnx/const_fold.h"
#include "onnx/constant_node.h"
#include "onnx/function_expand.h"
#include "onnx/graph_finish.h"
#include "onnx/input_binding.h"
#include "onnx/model_loader.h"
#include "onnx/padded_outputs.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

class Importer {
 public:
  Importer(const ImportOptions& opts, bool dry_run) : opts_(opts), dry_run_(dry_run) {}

  Status prepare();
  Status import_nodes();
  Expected<ir::Graph> finish();
  std::vector<UnsupportedNode> take_unsupported();

 private:
  Status prepare_names(const ::onnx::GraphProto& g);
  Status load_initializers(::onnx::GraphProto& g);
  Status bind_graph_inputs(const ::onnx::GraphProto& g);
  Status choose_outputs(const ::onnx::GraphProto& g);
  void warn_float64(const ::onnx::GraphProto& g) const;
  Status import_node(::onnx::NodeProto& proto, const OnnxNode& n);
  Status fold_node(const OnnxNode& n, const FoldEntry& f);
  Expected<bool> try_expand(const OnnxNode& n);
  Status import_body(const OnnxNode& n, FunctionBody body);
  std::string fresh_value(const std::string& base);
  void mark_unknown(const OnnxNode& n, bool runtime = true);
  bool reads_runtime_value(const OnnxNode& n) const;
  void release_inputs(const OnnxNode& n);

  const ImportOptions& opts_;
  bool dry_run_;
  LoadedModel model_;
  std::unique_ptr<ExternalFiles> files_;
  std::unique_ptr<ImportContext> ctx_;
  std::vector<std::string> node_names_, outputs_;
  std::set<std::string> half_outputs_;  // graph outputs the model declares float16
  std::set<std::string> onnx_names_;
  std::unordered_map<std::string, int64_t> uses_;  // pending consumers, looked up only
  std::vector<UnsupportedNode> unsupported_;
  std::deque<std::vector<::onnx::NodeProto>> bodies_;  // expanded function bodies, kept alive
  std::set<std::string> body_values_;                  // value names given to body values
  const OnnxNode* top_ = nullptr;  // the graph node being imported (dry-run attribution)
  int depth_ = 0;                  // function bodies being expanded, nested
};

Status Importer::prepare() {
  OQNN_ASSIGN_OR_RETURN(model_, load_model(opts_.model_path));
  files_ = std::make_unique<ExternalFiles>(model_.dir);
  files_->add(model_.file_location, model_.file);
  ::onnx::GraphProto& g = *model_.proto->mutable_graph();
  OQNN_RETURN_IF_ERROR(prepare_names(g));
  OQNN_RETURN_IF_ERROR(load_initializers(g));
  OQNN_RETURN_IF_ERROR(bind_graph_inputs(g));
  warn_float64(g);
  return choose_outputs(g);
}

// One warning for the whole model, as QNN's converter gives: its float64 inputs, outputs and
// initializers become float32.
void Importer::warn_float64(const ::onnx::GraphProto& g) const {
  std::set<std::string> names;
  for (const auto& t : g.initializer())
    if (t.data_type() == ::onnx::TensorProto::DOUBLE) names.insert(t.name());
  for (const auto* io : {&g.input(), &g.output()})
    for (const auto& vi : *io)
      if (vi.type().has_tensor_type() &&
          vi.type().tensor_type().elem_type() == ::onnx::TensorProto::DOUBLE)
        names.insert(vi.name());
  if (!names.empty())
    spdlog::warn(
        "{}: {} float64 tensor(s) (graph inputs, outputs and initializers) converted to "
        "float32, as QNN's converter does",
        opts_.model_path, names.size());
}

Status Importer::prepare_names(const ::onnx::GraphProto& g) {
  std::set<std::string> node_set;
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& nd = g.node(i);
    std::string base = nd.name().empty() ? nd.op_type() + "_" + std::to_string(i) : nd.name();
    std::string name = base;
    for (int k = 1; node_set.count(name); ++k) name = base + "_" + std::to_string(k);
    node_set.insert(name);
    node_names_.push_back(name);
    for (const auto& o : nd.output()) onnx_names_.insert(o);
    for (const auto& in : nd.input())
      if (!in.empty()) ++uses_[in];
  }
  for (const auto& vi : g.input()) onnx_names_.insert(vi.name());
  for (const auto& t : g.initializer()) onnx_names_.insert(t.name());
  for (const auto& vi : g.output()) onnx_names_.insert(vi.name());
  ctx_ = std::make_unique<ImportContext>(onnx_names_, std::move(node_set));
  ctx_->graph.name = stem_of(opts_.model_path);
  return Status::ok();
}

Status Importer::load_initializers(::onnx::GraphProto& g) {
  if (g.sparse_initializer_size() > 0)
    return unsupported(opts_.model_path + ": sparse initializer '" +
                       g.sparse_initializer(0).values().name() + "' is not supported");
  for (auto& tp : *g.mutable_initializer()) {
    OQNN_ASSIGN_OR_RETURN(
        ConstTensor c,
        take_tensor_proto(
            tp, opts_.model_path + ": initializer '" + tp.name() + "'" + reader_note(g, tp.name()),
            *files_));
    ctx_->set_const(tp.name(), std::move(c));
  }
  return Status::ok();
}

Status Importer::bind_graph_inputs(const ::onnx::GraphProto& g) {
  std::set<std::string> inits;
  for (const auto& t : g.initializer()) inits.insert(t.name());
  OQNN_ASSIGN_OR_RETURN(auto inputs, bind_inputs(g, inits, opts_, dry_run_));
  for (auto& in : inputs) {
    if (!in.bound) {
      ctx_->set_unknown(in.name);
      continue;
    }
    ir::Tensor t;
    t.name = in.name;
    t.dtype = in.dtype;
    t.shape = in.shape;
    t.kind = ir::TensorKind::kInput;
    ir::TensorId id = ctx_->graph.add_tensor(std::move(t));
    ctx_->graph.inputs.push_back(id);
    // A float16 or (kept) int64 input is converted once to the type the graph computes in.
    if (auto inner = ir::compute_dtype(in.dtype); inner != in.dtype) {
      ir::Params p;
      p.set("to", std::string(ir::dtype_name(inner)));
      OQNN_ASSIGN_OR_RETURN(
          id,
          ctx_->emit(ctx_->aux_node_name(in.name + "_cast"), "Cast", {id}, std::move(p),
                     ctx_->aux_tensor_name(in.name + "_" + std::string(ir::dtype_name(inner)))));
    }
    ctx_->set_tensor(in.name, id);
  }
  return Status::ok();
}

Status Importer::choose_outputs(const ::onnx::GraphProto& g) {
  // A declared output type the IR cannot hold (float16, bfloat16, strings, float8, ...)
  // would come out as something else: refuse it (docs/dtypes.md).
  for (const auto& vi : g.output()) {
    if (!opts_.out_nodes.empty()) break;  // --out_node replaces the graph's outputs
    if (!vi.has_type() || !vi.type().has_tensor_type()) continue;
    int32_t et = vi.type().tensor_type().elem_type();
    if (et == ::onnx::TensorProto::UNDEFINED || et == ::onnx::TensorProto::DOUBLE) continue;
    auto dt = dtype_from_onnx(et);
    if (!dt)
      return unsupported(opts_.model_path + ": output '" + vi.name() + "': element type " +
                         onnx_dtype_name(et) + " is not supported yet");
    if (*dt == ir::DataType::kFloat16) half_outputs_.insert(vi.name());
  }
  if (opts_.out_nodes.empty()) {
    for (const auto& vi : g.output()) outputs_.push_back(vi.name());
  }
  for (const std::string& name : opts_.out_nodes) {
    if (!onnx_names_.count(name))
      return usage_error(
          "--out_node '" + name + "': " + opts_.model_path + " has no tensor of that name",
          {"--out_node takes ONNX tensor names (a node's output), not node names"});
    if (std::find(outputs_.begin(), outputs_.end(), name) == outputs_.end())
      outputs_.push_back(name);
  }
  if (outputs_.empty()) return bad_input(opts_.model_path + ": the graph has no outputs");
  for (const std::string& name : outputs_) uses_[name] += int64_t{1} << 40;  // never released
  return Status::ok();
}

Status Importer::import_nodes() {
  ::onnx::GraphProto& g = *model_.proto->mutable_graph();
  for (int i = 0; i < g.node_size(); ++i) {
    ::onnx::NodeProto& proto = *g.mutable_node(i);
    int64_t opset = is_default_domain(proto.domain()) ? model_.opset
                                                      : domain_opset(*model_.proto, proto.domain());
    OnnxNode n(proto, node_names_[static_cast<size_t>(i)], opset);
    top_ = &n;
    Status st = import_node(proto, n);
    if (!st) {
      Error e = st.take_error();
      if (e.code != ErrorCode::kUnsupported) return e;
      if (!dry_run_) {
        e.hints.push_back("run qnn-onnx-converter --input_network " + opts_.model_path +
                          " --dry_run to list every unsupported node");
        return e;
      }
      std::string reason =
          e.message.rfind(n.prefix(), 0) == 0 ? e.message.substr(n.prefix().size()) : e.message;
      unsupported_.push_back({n.name(), n.op_type(), n.opset(), reason});
      mark_unknown(n, reads_runtime_value(n));
    }
    release_inputs(n);
  }
  return Status::ok();
}

Status Importer::import_node(::onnx::NodeProto& proto, const OnnxNode& n) {
  if (!is_default_domain(proto.domain()))
    return n.unsupported("op domain '" + proto.domain() + "' is not supported");
  bool any_unknown = false, all_const = true;
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    if (!n.has_input(i)) continue;
    const Value* v = ctx_->find(n.input(i));
    if (!v)
      return n.bad_input("input '" + n.input(i) +
                         "' is not a graph input, an initializer or an earlier node's output");
    any_unknown = any_unknown || v->kind == Value::Kind::kUnknown;
    all_const = all_const && v->kind == Value::Kind::kConst;
  }
  const Translator* t = find_translator(n.op_type());
  const FoldEntry* f = find_folder(n.op_type());
  if (!t && !f && n.op_type() != "Constant") {
    OQNN_ASSIGN_OR_RETURN(bool expanded, try_expand(n));
    if (expanded) return Status::ok();
  }
  if (any_unknown) {  // dry run past an unsupported node: attribute checks only
    if (!t && !f && n.op_type() != "Constant") return n.unsupported("op is not supported");
    // A fold-only op fed by a run-time value (not just its shape) is a gap of its own.
    bool runtime = reads_runtime_value(n) && !folds_from_shape(n.op_type());
    if (!t && f && runtime)
      return n.unsupported(
          "op is supported only on constant inputs (it is folded at import), and an input "
          "here would be computed at run time (downstream of an unsupported node)");
    if (t && t->check) OQNN_RETURN_IF_ERROR(t->check(n));
    if (n.attr_error()) return *n.attr_error();
    mark_unknown(n, runtime);
    return Status::ok();
  }
  if (n.op_type() == "Constant") {
    OQNN_ASSIGN_OR_RETURN(ConstTensor c, constant_node_value(proto, n, *files_));
    ctx_->set_const(n.output(0), std::move(c));
    return Status::ok();
  }
  const Value* first = n.has_input(0) ? ctx_->find(n.input(0)) : nullptr;
  bool shape_only = folds_from_shape(n.op_type()) && first && first->kind == Value::Kind::kTensor;
  if (f && (all_const || shape_only)) return fold_node(n, *f);
  if (!t) {
    if (f)
      return n.unsupported(
          "op is supported only on constant inputs (it is folded at import), "
          "and an input here is computed at run time");
    return n.unsupported("op is not supported");
  }
  for (size_t i = 0; i < n.num_inputs(); ++i)
    if (n.has_input(i)) ctx_->make_ir_typed(n.input(i));
  Status st = t->translate(*ctx_, n);
  if (n.attr_error()) return *n.attr_error();
  if (!st) return st;
  for (size_t j = 0; j < n.num_outputs(); ++j) {
    const std::string& out = n.output(j);
    auto used = uses_.find(out);
    if (!out.empty() && !ctx_->find(out) && used != uses_.end() && used->second > 0)
      return n.unsupported("output " + std::to_string(j) + " ('" + out + "') is not supported");
  }
  return Status::ok();
}

Status Importer::fold_node(const OnnxNode& n, const FoldEntry& f) {
  std::vector<ConstTensor> stand_ins(n.num_inputs());
  std::vector<const ConstTensor*> in(n.num_inputs(), nullptr);
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    if (!n.has_input(i)) continue;
    const Value* v = ctx_->find(n.input(i));
    if (v->kind == Value::Kind::kConst) {
      in[i] = &v->c;
    } else {  // Shape/Size of an activation: its static shape is all they read
      const ir::Tensor& t = ctx_->graph.tensor(v->id);
      ctx_->shape_reads.push_back({v->id, {n.name(), n.op_type()}});
      stand_ins[i] = ConstTensor{t.dtype, t.shape, nullptr};
      in[i] = &stand_ins[i];
    }
  }
  for (int i = 0; i < f.min_inputs; ++i)
    if (static_cast<size_t>(i) >= in.size() || !in[static_cast<size_t>(i)])
      return n.bad_input("required input " + std::to_string(i) + " is missing");
  OQNN_ASSIGN_OR_RETURN(std::vector<ConstTensor> out, f.fn(n, in));
  if (n.attr_error()) return *n.attr_error();
  for (size_t j = 0; j < n.num_outputs() && j < out.size(); ++j)
    if (!n.output(j).empty()) ctx_->set_const(n.output(j), std::move(out[j]));
  return Status::ok();
}

Expected<bool> Importer::try_expand(const OnnxNode& n) {
  FunctionContext fc;
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    const Value* v = n.has_input(i) ? ctx_->find(n.input(i)) : nullptr;
    int32_t et = 0;
    if (v && v->kind != Value::Kind::kUnknown)
      et = v->kind == Value::Kind::kConst && v->c.float64
               ? static_cast<int32_t>(::onnx::TensorProto::DOUBLE)
               : onnx_elem_type(ctx_->dtype_of(n.input(i)));
    fc.input_types.push_back(et);
  }
  fc.fresh_value = [this](const std::string& b) { return fresh_value(b); };
  fc.fresh_node = [this](const std::string& b) { return ctx_->aux_node_name(b); };
  OQNN_ASSIGN_OR_RETURN(std::optional<FunctionBody> body, expand_function(n, fc));
  if (!body) return false;
  OQNN_RETURN_IF_ERROR(import_body(n, std::move(*body)));
  return true;
}

std::string Importer::fresh_value(const std::string& base) {
  auto taken = [&](const std::string& v) {
    return onnx_names_.count(v) != 0 || body_values_.count(v) != 0;
  };
  std::string v = base;
  for (int i = 1; taken(v); ++i) v = base + "_" + std::to_string(i);
  body_values_.insert(v);
  return v;
}

// Imports the nodes of `n`'s function body in place of `n`, at the body's opset. A body
// node's error names `n` (and the body node); a dry run records it under the graph node.
Status Importer::import_body(const OnnxNode& n, FunctionBody body) {
  if (depth_ >= 8) return n.unsupported("its function body nests functions too deep");
  if (body.opset < kMinOpset || body.opset > kMaxOpset)
    return n.unsupported("its function body is written for opset " + std::to_string(body.opset) +
                         ", outside the supported range");
  std::vector<::onnx::NodeProto>& nodes = bodies_.emplace_back(std::move(body.nodes));
  for (const auto& p : nodes)
    for (const auto& in : p.input())
      if (!in.empty()) ++uses_[in];
  ++depth_;
  for (auto& p : nodes) {
    OnnxNode bn(p, p.name(), body.opset);
    Status st = import_node(p, bn);
    if (!st) {
      Error e = st.take_error();
      if (e.message.rfind("node '" + top_->name() + "'", 0) != 0)
        e.message = n.prefix() + "in its function body (opset " + std::to_string(body.opset) +
                    "): " + e.message;
      if (e.code != ErrorCode::kUnsupported || !dry_run_) {
        --depth_;
        return e;
      }
      std::string reason = e.message.rfind(top_->prefix(), 0) == 0
                               ? e.message.substr(top_->prefix().size())
                               : e.message;
      unsupported_.push_back({top_->name(), top_->op_type(), top_->opset(), reason});
      mark_unknown(bn, reads_runtime_value(bn));
    }
    release_inputs(bn);
  }
  --depth_;
  for (size_t j = 0; j < n.num_outputs(); ++j) {
    const std::string& out = n.output(j);
    auto used = uses_.find(out);
    if (!out.empty() && !ctx_->find(out) && used != uses_.end() && used->second > 0)
      return n.unsupported("output " + std::to_string(j) + " ('" + out +
                           "') is not computed by its function body");
  }
  return Status::ok();
}

void Importer::mark_unknown(const OnnxNode& n, bool runtime) {
  for (size_t j = 0; j < n.num_outputs(); ++j)
    if (!n.output(j).empty()) ctx_->set_unknown(n.output(j), runtime);
}

bool Importer::reads_runtime_value(const OnnxNode& n) const {
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    const Value* v = n.has_input(i) ? ctx_->find(n.input(i)) : nullptr;
    if (v && (v->kind == Value::Kind::kTensor || (v->kind == Value::Kind::kUnknown && v->runtime)))
      return true;
  }
  return false;
}

void Importer::release_inputs(const OnnxNode& n) {
  // A constant no later node reads is dropped now, so converted weights do not keep their
  // originals alive until the end of the import.
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    if (!n.has_input(i)) continue;
    auto it = uses_.find(n.input(i));
    if (it == uses_.end() || --it->second != 0) continue;
    const Value* v = ctx_->find(n.input(i));
    // Pages of a mapped weight that went into a converted copy are not needed any more.
    if (v && v->kind == Value::Kind::kConst && v->id == ir::kNoTensor) files_->release(v->c);
    ctx_->release(n.input(i));
  }
}

// The dry run's list, with the node that would read a static-maximum output's padding
// (padded_outputs.h), which the import would refuse only when it finishes the graph.
std::vector<UnsupportedNode> Importer::take_unsupported() {
  if (auto r = padding_refusal(*ctx_)) {
    const ::onnx::GraphProto& g = model_.proto->graph();
    UnsupportedNode u{r->node, r->op, model_.opset, r->reason};
    for (int i = 0; i < g.node_size(); ++i)
      if (node_names_[static_cast<size_t>(i)] == r->node) u.op_type = g.node(i).op_type();
    unsupported_.push_back(std::move(u));
  }
  return std::move(unsupported_);
}

Expected<ir::Graph> Importer::finish() {
  OQNN_RETURN_IF_ERROR(finish_graph(*ctx_, outputs_, half_outputs_, opts_.model_path));
  return std::move(ctx_->graph);
}

}  // namespace

Expected<ir::Graph> import_onnx(const ImportOptions& opts) {
  Importer imp(opts, false);
  OQNN_RETURN_IF_ERROR(imp.prepare());
  OQNN_RETURN_IF_ERROR(imp.import_nodes());
  return imp.finish();
}

Expected<std::vector<UnsupportedNode>> find_unsupported(const ImportOptions& opts) {
  Importer imp(opts, true);
  OQNN_RETURN_IF_ERROR(imp.prepare());
  OQNN_RETURN_IF_ERROR(imp.import_nodes());
  return imp.take_unsupported();
}

}  // namespace oqnn::onnx_import
