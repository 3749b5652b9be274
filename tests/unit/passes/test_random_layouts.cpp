// Random graphs of transposes mixed with layout-agnostic ops (and a few layout-sensitive
// ones): whatever the rules do to them, the values must not change.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "ir/verifier.h"
#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

class RandomGraph {
 public:
  explicit RandomGraph(uint32_t seed) : b_(seed), rng_(seed) {}

  ir::Graph build() {
    pool_.push_back(b_.input("in0", {1, pick(1, 3), pick(2, 4), pick(2, 4)}));
    if (coin()) pool_.push_back(b_.input("in1", b_.graph().tensor(pool_[0]).shape));
    for (int step = 0; step < 14; ++step) pool_.push_back(random_op(step));
    // A few outputs, always including the last tensor.
    b_.output(pool_.back());
    for (size_t i = 0; i + 1 < pool_.size(); ++i)
      if (b_.graph().tensor(pool_[i]).kind == ir::TensorKind::kIntermediate &&
          std::uniform_int_distribution<int>(0, 5)(rng_) == 0)
        b_.output(pool_[i]);
    return b_.take();
  }

 private:
  int64_t pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool coin() { return pick(0, 1) == 1; }
  ir::TensorId any() {
    return pool_[static_cast<size_t>(pick(0, static_cast<int64_t>(pool_.size()) - 1))];
  }
  const ir::Shape& shape(ir::TensorId t) { return b_.graph().tensor(t).shape; }
  // Prefer recent tensors so chains form.
  ir::TensorId recent() {
    int64_t n = static_cast<int64_t>(pool_.size());
    return pool_[static_cast<size_t>(pick(std::max<int64_t>(0, n - 3), n - 1))];
  }
  std::vector<int64_t> random_perm(size_t rank) {
    if (rank == 4 && coin()) return coin() ? ints({0, 2, 3, 1}) : ints({0, 3, 1, 2});
    std::vector<int64_t> p(rank);
    std::iota(p.begin(), p.end(), 0);
    std::shuffle(p.begin(), p.end(), rng_);
    return p;
  }
  ir::TensorId same_shape_partner(ir::TensorId x) {
    for (ir::TensorId t : pool_)
      if (t != x && shape(t) == shape(x) && coin()) return t;
    return ir::kNoTensor;
  }

  ir::TensorId random_op(int step) {
    std::string name = "t" + std::to_string(step);
    ir::TensorId x = recent();
    size_t rank = shape(x).size();
    switch (pick(0, 12)) {
      case 0:
      case 1:
      case 2:
        return b_.transpose(x, random_perm(rank), name);
      case 3:
        return b_.node(coin() ? "Relu" : "Sigmoid", {x}, name);
      case 4: {
        ir::Shape s = shape(x);  // a broadcastable static: some dims set to 1, maybe fewer dims
        for (auto& d : s)
          if (coin()) d = 1;
        if (coin() && s.size() > 1) s.erase(s.begin());
        const char* ops[] = {"ElementWiseAdd", "ElementWiseMultiply", "ElementWiseSubtract"};
        auto w = b_.weight(name + ".w", s, 0.5f, 1.5f);
        return coin() ? b_.node(ops[pick(0, 2)], {x, w}, name)
                      : b_.node(ops[pick(0, 2)], {w, x}, name);
      }
      case 5: {
        ir::TensorId y = same_shape_partner(x);
        if (y == ir::kNoTensor) return b_.node("HardSwish", {x}, name);
        return b_.node(coin() ? "ElementWiseAdd" : "ElementWiseDivide",
                       {x, coin() ? y : b_.node("Sigmoid", {y}, name + ".s")}, name);
      }
      case 6: {
        ir::TensorId y = same_shape_partner(x);
        std::vector<ir::TensorId> ins = {x, y == ir::kNoTensor ? x : y};
        if (coin()) ins.push_back(b_.weight(name + ".w", shape(x)));
        return b_.node("Concat", ins, name,
                       params({{"axis", pick(0, static_cast<int64_t>(rank) - 1)}}));
      }
      case 7:
        return b_.node("Softmax", {x}, name,
                       params({{"axis", pick(0, static_cast<int64_t>(rank) - 1)}}));
      case 8: {
        std::vector<int64_t> axes;
        for (size_t d = 0; d < rank; ++d)
          if (coin()) axes.push_back(static_cast<int64_t>(d));
        if (axes.empty() || axes.size() == rank) axes = {static_cast<int64_t>(rank) - 1};
        int64_t keep = (rank == 4 && coin()) ? 0 : 1;  // stay at rank 4 mostly
        if (keep == 0)
          return b_.node("ReduceMean", {x}, name, params({{"axes", axes}, {"keep_dims", keep}}));
        return b_.node("ReduceMean", {x}, name, params({{"axes", axes}}));
      }
      case 9: {
        std::vector<int64_t> pad;
        for (size_t d = 0; d < 2 * rank; ++d) pad.push_back(pick(0, 1));
        return b_.node("Pad", {x}, name,
                       params({{"pad_amount", pad}, {"pad_constant_value", 0.5}}));
      }
      case 10: {
        ir::Shape s = shape(x);
        if (s.size() == 4)
          return b_.node("Prelu", {x, b_.weight(name + ".slope", {s[1], 1, 1}, 0.1f, 0.2f)}, name);
        return b_.node("Relu", {x}, name);
      }
      case 11: {
        // A reshape that only inserts or drops a size-1 dim (ranks 3 to 5 appear).
        ir::Shape s = shape(x);
        auto one = std::find(s.begin(), s.end(), 1);
        if (one != s.end() && s.size() > 3 && coin())
          s.erase(one);
        else if (s.size() < 5)
          s.insert(s.begin() + pick(0, static_cast<int64_t>(s.size())), 1);
        return b_.node("Reshape", {x}, name, params({{"shape", s}}));
      }
      default: {
        if (rank != 4) return b_.node("Relu", {x}, name);
        // An importer-style spatial op on whatever layout x has.
        return b_.spatial(
            "PoolMax2d", x, {}, name,
            params({{"filter_size", ints({1, 2})}, {"pad_amount", ints({0, 0, 0, 1})}}));
      }
    }
  }

  GraphBuilder b_;
  std::mt19937 rng_;
  std::vector<ir::TensorId> pool_;
};

TEST(RandomLayouts, PipelinesKeepValues) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    ir::Graph before = RandomGraph(seed).build();
    for (const char* level : {"medium", "high"}) {
      ir::Graph g = before;
      PipelineOptions o;
      o.optimization_level = level;
      Status s = run_pipeline(g, o);
      ASSERT_TRUE(s.is_ok()) << "seed " << seed << ": " << s.error().message;
      EXPECT_LE(max_rel_error(before, g, seed), 1e-5) << "seed " << seed << " " << level;
      EXPECT_LE(g.nodes.size(), before.nodes.size()) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace oqnn::passes::testing
