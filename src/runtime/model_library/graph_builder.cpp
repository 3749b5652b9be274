#include "runtime/model_library/graph_builder.h"

#include <cmath>
#include <exception>

#include "ir/verifier.h"

namespace oqnn::rt {
namespace {

constexpr uint32_t kMaxRank = 8;
constexpr uint32_t kMaxCount = 1u << 20;  // inputs, outputs, params, array params, channels

std::string str_or(const char* s, const char* fallback = "<null>") {
  return s ? s : fallback;
}

}  // namespace

// The C callbacks: forward to the builder, keep the first error, let no exception out.
struct Callbacks {
  template <class F>
  static int guard(void* ctx, F&& f) {
    auto* b = static_cast<GraphBuilder*>(ctx);
    if (b == nullptr) return 1;
    if (b->error_) return 1;
    try {
      Status s = f(*b);
      if (s.is_ok()) return 0;
      b->error_ = s.error();
    } catch (const std::exception& e) {
      b->error_ = b->fail(std::string("composing the graph failed: ") + e.what());
    }
    return 1;
  }
  static int create_graph(void* ctx, const char* name) {
    return guard(ctx, [&](GraphBuilder& b) { return b.create_graph(name); });
  }
  static int add_tensor(void* ctx, const OqnnTensorDesc* d) {
    return guard(ctx, [&](GraphBuilder& b) { return b.add_tensor(d); });
  }
  static int add_node(void* ctx, const OqnnNodeDesc* d) {
    return guard(ctx, [&](GraphBuilder& b) { return b.add_node(d); });
  }
  static int set_attribute(void* ctx, const char* k, const char* v) {
    return guard(ctx, [&](GraphBuilder& b) { return b.set_attribute(k, v); });
  }
};

GraphBuilder::GraphBuilder(std::span<const std::byte> archive, Members members,
                           std::shared_ptr<void> keeper, std::string origin)
    : archive_(archive),
      members_(std::move(members)),
      keeper_(std::move(keeper)),
      origin_(std::move(origin)) {
  api_.version = OQNN_MODEL_API_VERSION;
  api_.ctx = this;
  api_.create_graph = &Callbacks::create_graph;
  api_.add_tensor = &Callbacks::add_tensor;
  api_.add_node = &Callbacks::add_node;
  api_.set_attribute = &Callbacks::set_attribute;
}

Error GraphBuilder::fail(const std::string& what) const {
  return bad_input(origin_ + ": " + what);
}

Status GraphBuilder::create_graph(const char* name) {
  if (created_) return fail("composeGraphs created a second graph (one graph per library)");
  if (name == nullptr || *name == '\0') return fail("create_graph without a graph name");
  graph_.name = name;
  created_ = true;
  return Status::ok();
}

Status GraphBuilder::set_attribute(const char* key, const char* value) {
  if (!created_) return fail("set_attribute before create_graph");
  if (key == nullptr || value == nullptr) return fail("set_attribute with a null key or value");
  graph_.attributes[key] = value;
  return Status::ok();
}

Expected<ir::Shape> GraphBuilder::read_dims(const OqnnTensorDesc& d,
                                            const std::string& name) const {
  if (d.rank > kMaxRank)
    return fail("tensor '" + name + "': rank " + std::to_string(d.rank) + " is over " +
                std::to_string(kMaxRank));
  if (d.rank > 0 && d.dims == nullptr) return fail("tensor '" + name + "': dims missing");
  ir::Shape shape(d.dims, d.dims + d.rank);
  uint64_t elements = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return fail("tensor '" + name + "': negative dimension in " + ir::shape_str(shape));
    if (dim > 0 && elements > (uint64_t{1} << 48) / static_cast<uint64_t>(dim))
      return fail("tensor '" + name + "': shape " + ir::shape_str(shape) + " is too large");
    elements *= static_cast<uint64_t>(dim);
  }
  return shape;
}

Expected<ir::Encoding> GraphBuilder::read_encoding(const OqnnEncoding& e, const ir::Shape& shape,
                                                   const std::string& name) const {
  auto bad = [&](const std::string& what) {
    return fail("tensor '" + name + "': encoding " + what);
  };
  if (e.bitwidth < 1 || e.bitwidth > 32)
    return bad("bitwidth " + std::to_string(e.bitwidth) + " is not 1..32");
  if ((e.is_signed != 0 && e.is_signed != 1) || (e.symmetric != 0 && e.symmetric != 1))
    return bad("flags must be 0 or 1");
  if (e.axis < -1 || e.axis >= static_cast<int32_t>(shape.size()))
    return bad("axis " + std::to_string(e.axis) + " is outside rank " +
               std::to_string(shape.size()));
  uint64_t want = e.axis < 0 ? 1 : static_cast<uint64_t>(shape[static_cast<size_t>(e.axis)]);
  if (e.num_channels != want || e.num_channels > kMaxCount)
    return bad("has " + std::to_string(e.num_channels) + " channels, expected " +
               std::to_string(want));
  if (e.scales == nullptr || e.offsets == nullptr) return bad("has no scales or offsets");
  ir::Encoding enc;
  enc.bitwidth = e.bitwidth;
  enc.is_signed = e.is_signed != 0;
  enc.symmetric = e.symmetric != 0;
  enc.axis = e.axis;
  enc.scale.assign(e.scales, e.scales + e.num_channels);
  enc.offset.assign(e.offsets, e.offsets + e.num_channels);
  for (double s : enc.scale)
    if (!std::isfinite(s) || s <= 0) return bad("scale must be finite and > 0");
  return enc;
}

Status GraphBuilder::attach_data(ir::Tensor& t, const char* member) {
  if (member == nullptr)
    return fail("static tensor '" + t.name + "' names no member of the weights archive");
  auto it = members_.find(member);
  if (it == members_.end())
    return fail("static tensor '" + t.name + "': member '" + member +
                "' is not in the embedded weights archive");
  uint64_t want = static_cast<uint64_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype);
  auto [offset, size] = it->second;
  if (size != want)
    return fail("static tensor '" + t.name + "': member '" + member + "' holds " +
                std::to_string(size) + " bytes, " + std::string(ir::dtype_name(t.dtype)) +
                ir::shape_str(t.shape) + " needs " + std::to_string(want));
  t.data = std::make_shared<ExternalBlob>(archive_.data() + offset, size, keeper_);
  return Status::ok();
}

Status GraphBuilder::add_tensor(const OqnnTensorDesc* d) {
  if (!created_) return fail("add_tensor before create_graph");
  if (d == nullptr || d->name == nullptr || *d->name == '\0')
    return fail("add_tensor without a tensor name");
  std::string name = d->name;
  if (graph_.find_tensor(name)) return fail("tensor '" + name + "' is declared twice");
  if (d->kind < OQNN_TENSOR_INPUT || d->kind > OQNN_TENSOR_INTERMEDIATE)
    return fail("tensor '" + name + "': unknown kind " + std::to_string(d->kind));
  if (d->dtype < 0 || d->dtype > static_cast<int32_t>(ir::DataType::kBool))
    return fail("tensor '" + name + "': unknown dtype " + std::to_string(d->dtype));
  ir::Tensor t;
  t.name = name;
  t.kind = static_cast<ir::TensorKind>(d->kind);
  t.dtype = static_cast<ir::DataType>(d->dtype);
  OQNN_ASSIGN_OR_RETURN(t.shape, read_dims(*d, name));
  if (d->encoding) {
    OQNN_ASSIGN_OR_RETURN(t.encoding, read_encoding(*d->encoding, t.shape, name));
  }
  if (t.is_static()) {
    OQNN_RETURN_IF_ERROR(attach_data(t, d->data_member));
  } else if (d->data_member != nullptr) {
    return fail("tensor '" + name + "' is not static but names weights member '" + d->data_member +
                "'");
  }
  bool defined = t.kind == ir::TensorKind::kInput || t.is_static();
  ir::TensorId id = graph_.add_tensor(std::move(t));
  produced_.push_back(defined);
  if (d->kind == OQNN_TENSOR_INPUT) graph_.inputs.push_back(id);
  if (d->kind == OQNN_TENSOR_OUTPUT) graph_.outputs.push_back(id);
  return Status::ok();
}

Expected<ir::Params> GraphBuilder::read_params(const OqnnNodeDesc& d,
                                               const std::string& node) const {
  ir::Params params;
  if (d.num_params > kMaxCount || (d.num_params > 0 && d.params == nullptr))
    return fail("node '" + node + "': bad parameter list");
  for (uint32_t i = 0; i < d.num_params; ++i) {
    const OqnnParam& p = d.params[i];
    if (p.name == nullptr || *p.name == '\0') return fail("node '" + node + "': unnamed parameter");
    std::string where = "node '" + node + "': parameter '" + p.name + "'";
    if (params.has(p.name)) return fail(where + " is given twice");
    bool array = p.type == OQNN_PARAM_INTS || p.type == OQNN_PARAM_FLOATS;
    if (array && p.count > kMaxCount) return fail(where + " has too many values");
    switch (p.type) {
      case OQNN_PARAM_INT:
        params.set(p.name, p.i);
        break;
      case OQNN_PARAM_FLOAT:
        params.set(p.name, p.f);
        break;
      case OQNN_PARAM_STRING:
        if (p.s == nullptr) return fail(where + " has no string");
        params.set(p.name, std::string(p.s));
        break;
      case OQNN_PARAM_INTS:
        if (p.count > 0 && p.ints == nullptr) return fail(where + " has no values");
        params.set(p.name, std::vector<int64_t>(p.ints, p.ints + p.count));
        break;
      case OQNN_PARAM_FLOATS:
        if (p.count > 0 && p.floats == nullptr) return fail(where + " has no values");
        params.set(p.name, std::vector<double>(p.floats, p.floats + p.count));
        break;
      default:
        return fail(where + " has unknown type " + std::to_string(p.type));
    }
  }
  return params;
}

Status GraphBuilder::add_node(const OqnnNodeDesc* d) {
  if (!created_) return fail("add_node before create_graph");
  if (d == nullptr || d->name == nullptr || *d->name == '\0' || d->type == nullptr)
    return fail("add_node without a node name or type");
  std::string name = d->name;
  if (!node_names_.insert(name).second) return fail("node '" + name + "' is declared twice");
  if (d->package != nullptr && std::string(d->package) != "qti.aisw")
    return make_error(ErrorCode::kUnsupported, origin_ + ": node '" + name + "': op package '" +
                                                   d->package + "' is not supported");
  if (d->num_inputs > kMaxCount || d->num_outputs > kMaxCount ||
      (d->num_inputs > 0 && d->inputs == nullptr) || (d->num_outputs > 0 && d->outputs == nullptr))
    return fail("node '" + name + "': bad input or output list");
  ir::Node n;
  n.name = name;
  n.op = d->type;
  for (uint32_t i = 0; i < d->num_inputs; ++i) {
    std::string in = str_or(d->inputs[i]);
    if (in.empty()) {
      n.inputs.push_back(ir::kNoTensor);
      continue;
    }
    auto id = graph_.find_tensor(in);
    if (!id) return fail("node '" + name + "': input '" + in + "' is not a declared tensor");
    if (!produced_[static_cast<size_t>(*id)])
      return fail("node '" + name + "': input '" + in + "' is used before a node produces it");
    n.inputs.push_back(*id);
  }
  for (uint32_t i = 0; i < d->num_outputs; ++i) {
    std::string out = str_or(d->outputs[i]);
    auto id = graph_.find_tensor(out);
    if (!id) return fail("node '" + name + "': output '" + out + "' is not a declared tensor");
    if (produced_[static_cast<size_t>(*id)])
      return fail("node '" + name + "': output '" + out + "' is already defined");
    produced_[static_cast<size_t>(*id)] = true;
    n.outputs.push_back(*id);
  }
  OQNN_ASSIGN_OR_RETURN(n.params, read_params(*d, name));
  graph_.nodes.push_back(std::move(n));
  return Status::ok();
}

Expected<ir::Graph> GraphBuilder::finish(int rc) {
  if (error_) return *error_;
  if (rc != 0) return fail("composeGraphs failed (returned " + std::to_string(rc) + ")");
  if (!created_) return fail("composeGraphs created no graph");
  Status s = ir::verify(graph_);
  if (!s.is_ok()) {
    Error e = s.error();
    e.message = origin_ + ": " + e.message;
    return e;
  }
  return std::move(graph_);
}

}  // namespace oqnn::rt
