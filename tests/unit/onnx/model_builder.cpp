#include "model_builder.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace oqnn::onnx_import::test_util {

ModelBuilder::ModelBuilder(int64_t opset) {
  model.set_ir_version(8);
  model.set_producer_name("oqnn-test");
  auto* op = model.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  model.mutable_graph()->set_name("test");
}

void ModelBuilder::input(const std::string& name, const std::vector<Dim>& dims, int elem_type) {
  auto* vi = model.mutable_graph()->add_input();
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem_type);
  auto* shape = tt->mutable_shape();
  for (const Dim& d : dims) {
    auto* dim = shape->add_dim();
    if (d.param.empty())
      dim->set_dim_value(d.value);
    else
      dim->set_dim_param(d.param);
  }
}

void ModelBuilder::input_without_shape(const std::string& name) {
  auto* vi = model.mutable_graph()->add_input();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
}

void ModelBuilder::output(const std::string& name) {
  auto* vi = model.mutable_graph()->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
}

::onnx::TensorProto& ModelBuilder::init_f32(const std::string& name,
                                            const std::vector<int64_t>& shape,
                                            const std::vector<float>& values, bool typed) {
  auto* t = model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : shape) t->add_dims(d);
  if (typed) {
    for (float v : values) t->add_float_data(v);
  } else {
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4));
  }
  return *t;
}

::onnx::TensorProto& ModelBuilder::init_i64(const std::string& name,
                                            const std::vector<int64_t>& shape,
                                            const std::vector<int64_t>& values, bool typed) {
  auto* t = model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(::onnx::TensorProto::INT64);
  for (int64_t d : shape) t->add_dims(d);
  if (typed) {
    for (int64_t v : values) t->add_int64_data(v);
  } else {
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * 8));
  }
  return *t;
}

::onnx::NodeProto& ModelBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                                      const std::vector<std::string>& outputs,
                                      const std::string& name) {
  auto* n = model.mutable_graph()->add_node();
  n->set_op_type(op);
  if (!name.empty()) n->set_name(name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

std::string ModelBuilder::write(const std::string& dir, const std::string& file) const {
  std::string path = dir + "/" + file;
  std::ofstream out(path, std::ios::binary);
  model.SerializeToOstream(&out);
  return path;
}

ImportOptions ModelBuilder::options(const std::string& dir) const {
  ImportOptions o;
  o.model_path = write(dir);
  return o;
}

namespace {
::onnx::AttributeProto* add_attr(::onnx::NodeProto& n, const std::string& name,
                                 ::onnx::AttributeProto::AttributeType type) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}
}  // namespace

void set_attr(::onnx::NodeProto& n, const std::string& name, int64_t v) {
  add_attr(n, name, ::onnx::AttributeProto::INT)->set_i(v);
}
void set_attr(::onnx::NodeProto& n, const std::string& name, float v) {
  add_attr(n, name, ::onnx::AttributeProto::FLOAT)->set_f(v);
}
void set_attr(::onnx::NodeProto& n, const std::string& name, const std::string& v) {
  add_attr(n, name, ::onnx::AttributeProto::STRING)->set_s(v);
}
void set_attr(::onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = add_attr(n, name, ::onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/oqnn_onnx_test_XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  const char* made = mkdtemp(buf.data());
  return made ? std::string(made) : std::string();
}

std::vector<float> iota_values(size_t n, float scale) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * scale;
  return v;
}

std::vector<std::string> ops_of(const ir::Graph& g) {
  std::vector<std::string> ops;
  for (const auto& n : g.nodes) ops.push_back(n.op);
  return ops;
}

const ir::Node& node_of(const ir::Graph& g, const std::string& op) {
  for (const auto& n : g.nodes)
    if (n.op == op) return n;
  ADD_FAILURE() << "no " << op << " node";
  static const ir::Node kNone;
  return kNone;
}

std::vector<float> static_floats(const ir::Graph& g, ir::TensorId id) {
  auto v = g.tensor(id).values<float>();
  return {v.begin(), v.end()};
}

void ImporterTest::SetUp() {
  dir_ = make_temp_dir();
  ASSERT_FALSE(dir_.empty());
}

void ImporterTest::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Expected<ir::Graph> ImporterTest::import(const ModelBuilder& b, ImportOptions opts) {
  opts.model_path = b.write(dir_);
  return import_onnx(opts);
}

}  // namespace oqnn::onnx_import::test_util
