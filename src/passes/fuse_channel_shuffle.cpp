// fuse_channel_shuffle: Reshape [.., C, ..] -> [.., g, C/g, ..], Transpose swapping those
// two dims, Reshape back to the input's shape (ShuffleNet's channel_shuffle as torch
// exports it) becomes ChannelShuffle(num_groups = g, axis). It runs before the layout
// passes, on the model's own (channel-first) tensors, where the pattern is still whole;
// ChannelShuffle then moves with the transposes like any one-axis op (its axis follows).
// The two intermediates must be read by the pattern alone and not be graph outputs.
#include "passes/passes.h"
#include "passes/pattern_match.h"

namespace oqnn::passes {
namespace {

// The axis a of x split as y = x[:a] + [g, x[a]/g] + x[a+1:], with g set; -1 when none.
int64_t split_axis(const ir::Shape& x, const ir::Shape& y, int64_t& groups) {
  if (y.size() != x.size() + 1) return -1;
  for (size_t a = 0; a < x.size(); ++a) {
    bool same_outside = true;
    for (size_t d = 0; d < x.size() && same_outside; ++d)
      if (d != a) same_outside = x[d] == y[d < a ? d : d + 1];
    if (same_outside && y[a] * y[a + 1] == x[a]) {
      groups = y[a];
      return static_cast<int64_t>(a);
    }
  }
  return -1;
}

bool swaps(const std::vector<int64_t>& perm, int64_t a) {
  for (size_t d = 0; d < perm.size(); ++d) {
    const auto i = static_cast<int64_t>(d);
    const int64_t want = i == a ? a + 1 : i == a + 1 ? a : i;
    if (perm[d] != want) return false;
  }
  return true;
}

class FuseChannelShuffle final : public Pass {
 public:
  std::string_view name() const override { return "fuse_channel_shuffle"; }

  Expected<bool> run(ir::Graph& g) override {
    return fuse_each(
        g, "fuse_channel_shuffle", [&g](const PatternView& v, size_t i) -> const char* {
          if (g.nodes[i].op != "Reshape") return nullptr;
          const ir::TensorId x = g.nodes[i].inputs[0], split = g.nodes[i].outputs[0];
          int64_t groups = 0;
          const int64_t axis = split_axis(g.tensor(x).shape, g.tensor(split).shape, groups);
          const int t = v.single_reader(split);
          if (axis < 0 || t < 0 || v.node(t).op != "Transpose" ||
              !swaps(v.node(t).params.get_ints("perm"), axis))
            return nullptr;
          const int back = v.single_reader(v.node(t).outputs[0]);
          if (back < 0 || v.node(back).op != "Reshape" ||
              g.tensor(v.node(back).outputs[0]).shape != g.tensor(x).shape)
            return nullptr;
          ir::Params p;
          p.set("num_groups", groups);
          p.set("axis", axis);
          replace_pattern(g, back, "ChannelShuffle", {x}, std::move(p), {static_cast<int>(i), t});
          return "ChannelShuffle";
        });
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_channel_shuffle() {
  return std::make_unique<FuseChannelShuffle>();
}

}  // namespace oqnn::passes
