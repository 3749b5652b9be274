// Every op of the op table on random nodes (random input counts, ranks, dims, dtypes,
// static or run-time inputs, parameter values of the declared kinds): the shape rule and
// the verifier either accept the node or refuse it with an error, never crash; an accepted
// node then runs on the CPU reference and fast kernels, which either run it or refuse it
// (e.g. an index out of range at run time), never read or write outside their buffers.
// The asan preset runs this under ASan + UBSan. Seeds are fixed: failures reproduce.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "backends/cpu/kernels.h"
#include "ir/op_def.h"
#include "ir/verifier.h"
#include "runtime/host_plan.h"
#include "support/bytes.h"

namespace oqnn::cpu {
namespace {

constexpr int kNodesPerOp = 2000;
constexpr int64_t kMaxElements = 4096;

// Values string parameters of the op table take (and some they do not).
const char* const kStrings[] = {"",
                                "xyz",
                                "relu",
                                "clip",
                                "float32",
                                "int32",
                                "bool",
                                "uint8",
                                "hard_sigmoid",
                                "gelu",
                                "elu",
                                "tanh",
                                "exp",
                                "log",
                                "sqrt",
                                "abs",
                                "nearest",
                                "linear",
                                "cubic",
                                "bilinear",
                                "half_pixel",
                                "align_corners",
                                "asymmetric",
                                "pytorch_half_pixel",
                                "tf_crop_and_resize",
                                "round_prefer_floor",
                                "round_prefer_ceil",
                                "floor",
                                "ceil",
                                "DCR",
                                "CRD",
                                "constant",
                                "reflect",
                                "edge",
                                "zeros",
                                "border",
                                "reflection",
                                "mean",
                                "sum",
                                "max",
                                "min",
                                "NHWC",
                                "ij,jk->ik",
                                "bij,bjk->bik"};

class RandomNode {
 public:
  RandomNode(const ir::OpDef& def, uint32_t seed) : def_(def), rng_(seed) {}

  ir::Graph make() {
    ir::Graph g;
    g.name = "fuzz";
    int max_in = def_.max_inputs < 0 ? def_.min_inputs + 3 : def_.max_inputs;
    int n_in = pick(def_.min_inputs, std::max(def_.min_inputs, max_in));
    ir::Node n;
    n.name = "n";
    n.op = def_.name;
    for (int i = 0; i < n_in; ++i) n.inputs.push_back(add_input(g, i));
    for (const ir::ParamDef& p : def_.params)
      if (p.required || chance(0.6)) set_param(n.params, p);
    int n_out = chance(0.8) ? 1 : pick(2, 3);
    for (int j = 0; j < n_out; ++j) {
      ir::Tensor t;
      t.name = "out" + std::to_string(j);
      t.kind = ir::TensorKind::kOutput;
      n.outputs.push_back(g.add_tensor(std::move(t)));
      g.outputs.push_back(n.outputs.back());
    }
    g.nodes.push_back(std::move(n));
    return g;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // Often the first input's shape, or one close to it (same rank, most dims shared), so that
  // ops which need matching operands accept some nodes; otherwise anything small.
  ir::Shape shape() {
    if (!first_.empty() && chance(0.6)) {
      ir::Shape s = first_;
      for (auto& d : s)
        if (chance(0.2)) d = chance(0.5) ? 1 : pick(1, 4);
      return s;
    }
    ir::Shape s(static_cast<size_t>(chance(0.4) ? 4 : pick(0, 4)));
    for (auto& d : s) d = chance(0.05) ? 0 : pick(1, 4);
    if (first_.empty()) first_ = s;
    return s;
  }

  ir::DataType dtype() {
    int k = pick(0, 9);
    return k < 6 ? ir::DataType::kFloat32 : k < 8 ? ir::DataType::kInt32 : ir::DataType::kBool;
  }

  // Plausible values: small integers (indices in and out of range), floats of both signs.
  std::vector<std::byte> values(ir::DataType dt, int64_t count) {
    std::vector<std::byte> out(static_cast<size_t>(count) * ir::dtype_size(dt));
    for (int64_t i = 0; i < count; ++i) {
      std::byte* p = out.data() + static_cast<size_t>(i) * ir::dtype_size(dt);
      if (dt == ir::DataType::kFloat32) {
        float v = std::uniform_real_distribution<float>(-4.0f, 4.0f)(rng_);
        std::memcpy(p, &v, 4);
      } else if (dt == ir::DataType::kInt32) {
        int32_t v = pick(-6, 10);
        std::memcpy(p, &v, 4);
      } else {
        *p = static_cast<std::byte>(pick(0, 1));
      }
    }
    return out;
  }

  ir::TensorId add_input(ir::Graph& g, int i) {
    ir::DataType dt = dtype();
    ir::Shape s = shape();
    std::string name = "in" + std::to_string(i);
    if (i > 0 && chance(0.5)) {  // static: weights, shapes, indices, axes
      if (chance(0.5)) {
        dt = ir::DataType::kInt32;
        s = {pick(0, 4)};
      }
      auto data = values(dt, ir::num_elements(s));
      return g.add_static(name, dt, s, make_owned_blob(std::move(data)));
    }
    ir::TensorId id = g.add_tensor({name, dt, s, ir::TensorKind::kInput, {}, {}});
    g.inputs.push_back(id);
    return id;
  }

  void set_param(ir::Params& params, const ir::ParamDef& p) {
    auto ints = [&] {  // mostly the 2- and 4-value lists of spatial ops, small and positive
      int len = chance(0.4) ? 2 : chance(0.3) ? 4 : pick(0, 5);
      std::vector<int64_t> v(static_cast<size_t>(len));
      for (auto& x : v)
        x = chance(0.02) ? int64_t{1} << 40 : chance(0.7) ? pick(1, 2) : pick(-3, 6);
      return v;
    };
    switch (p.kind) {
      case ir::ParamKind::kInt:
        params.set(p.name, static_cast<int64_t>(chance(0.02) ? 1 << 30 : pick(-3, 6)));
        break;
      case ir::ParamKind::kFloat:
        params.set(p.name, static_cast<double>(pick(-20, 20)) / 8.0);
        break;
      case ir::ParamKind::kString:
        params.set(p.name, std::string(kStrings[pick(0, std::size(kStrings) - 1)]));
        break;
      case ir::ParamKind::kInts:
        params.set(p.name, ints());
        break;
      case ir::ParamKind::kFloats: {
        std::vector<double> v(static_cast<size_t>(pick(0, 4)));
        for (auto& x : v) x = static_cast<double>(pick(-16, 16)) / 4.0;
        params.set(p.name, v);
        break;
      }
    }
  }

  const ir::OpDef& def_;
  std::mt19937 rng_;
  ir::Shape first_;
};

// Shapes the outputs from the op's rule; false when the rule refuses the node.
bool infer_outputs(const ir::OpDef& def, ir::Graph& g) {
  ir::Node& n = g.nodes[0];
  auto outs = def.infer(g, n);
  if (!outs) return false;
  if (outs->size() != n.outputs.size()) return false;
  for (size_t j = 0; j < outs->size(); ++j) {
    g.tensor(n.outputs[j]).dtype = (*outs)[j].dtype;
    g.tensor(n.outputs[j]).shape = (*outs)[j].shape;
  }
  return true;
}

bool small(const ir::Graph& g) {
  for (const ir::Tensor& t : g.tensors)
    if (ir::num_elements(t.shape) > kMaxElements) return false;
  return true;
}

void run_once(const ir::Graph& g, const rt::KernelFactory& factory, uint32_t seed) {
  auto plan = rt::HostPlan::create(g, factory, 1);
  if (!plan) return;  // refused at kernel creation: fine
  std::mt19937 rng(seed);
  std::vector<std::vector<std::byte>> in_data, out_data;
  std::vector<OqnnTensorView> ins, outs;
  auto view = [](const ir::Tensor& t, std::vector<std::byte>& b) {
    return OqnnTensorView{t.name.c_str(),
                          static_cast<int32_t>(t.dtype),
                          static_cast<uint32_t>(t.shape.size()),
                          t.shape.data(),
                          b.data(),
                          b.size(),
                          nullptr};
  };
  for (const ir::Tensor& t : (*plan)->inputs()) {
    std::vector<std::byte> b(static_cast<size_t>(ir::num_elements(t.shape)) *
                             ir::dtype_size(t.dtype));
    for (size_t i = 0; i < b.size(); i += ir::dtype_size(t.dtype)) {
      int32_t v = std::uniform_int_distribution<int32_t>(-6, 10)(rng);
      if (t.dtype == ir::DataType::kFloat32) {
        float f = static_cast<float>(v) * 0.37f;
        std::memcpy(b.data() + i, &f, 4);
      } else if (t.dtype == ir::DataType::kBool) {
        b[i] = static_cast<std::byte>(v & 1);
      } else {
        std::memcpy(b.data() + i, &v, std::min<size_t>(4, ir::dtype_size(t.dtype)));
      }
    }
    in_data.push_back(std::move(b));
  }
  for (const ir::Tensor& t : (*plan)->outputs())
    out_data.emplace_back(static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype));
  for (size_t i = 0; i < in_data.size(); ++i) ins.push_back(view((*plan)->inputs()[i], in_data[i]));
  for (size_t i = 0; i < out_data.size(); ++i)
    outs.push_back(view((*plan)->outputs()[i], out_data[i]));
  (void)(*plan)->execute(ins, outs, nullptr);  // an error is fine; a crash is not
}

class OpFuzz : public ::testing::TestWithParam<std::string> {};

TEST_P(OpFuzz, RandomNodesAreRefusedOrRunNeverCrash) {
  const ir::OpDef* def = ir::find_op(GetParam());
  ASSERT_NE(def, nullptr);
  int accepted = 0;
  for (int i = 0; i < kNodesPerOp; ++i) {
    uint32_t seed = static_cast<uint32_t>(i) * 7919u + 17u;
    ir::Graph g = RandomNode(*def, seed).make();
    if (!infer_outputs(*def, g)) continue;
    if (!ir::verify(g).is_ok() || !small(g)) continue;
    ++accepted;
    run_once(g, make_ref_kernel, seed);
    run_once(g, make_kernel, seed);
  }
  std::printf("%s: %d of %d random nodes accepted\n", def->name.c_str(), accepted, kNodesPerOp);
}

std::vector<std::string> op_names() {
  std::vector<std::string> v;
  for (const ir::OpDef& d : ir::all_ops()) v.push_back(d.name);
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllOps, OpFuzz, ::testing::ValuesIn(op_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace oqnn::cpu
