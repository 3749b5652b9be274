// fuse_channel_shuffle: Reshape -> Transpose -> Reshape channel shuffles become one
// ChannelShuffle with the same values; through the whole pipeline (importer-style
// channel-first graph with convolutions) it survives the layout passes with its axis
// moved to the channel-last dim; near misses stay.
#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

struct ShuffleCase {
  const char* what;
  ir::Shape split;  // the first Reshape's shape
  std::vector<int64_t> perm;
  ir::Shape back;  // the second Reshape's shape
  int64_t groups, axis;
  bool fuses;
};

ir::Graph shuffle_graph(const ShuffleCase& c) {
  GraphBuilder b;
  auto x = b.node("ElementWiseAdd", {b.input("x", {2, 12, 3, 5}), b.weight("w", {5})}, "h");
  auto s = b.node("Reshape", {x}, "split", params({{"shape", c.split}}));
  auto t = b.node("Transpose", {s}, "swapped", params({{"perm", c.perm}}));
  auto y = b.node("Reshape", {t}, "shuffled", params({{"shape", c.back}}));
  b.output(b.node("Sigmoid", {y}, "out"));
  return b.take();
}

TEST(FuseChannelShuffle, ReshapeTransposeReshapeBecomesChannelShuffle) {
  const ShuffleCase cases[] = {
      {"ShuffleNet: 3 groups on C", {2, 3, 4, 3, 5}, {0, 2, 1, 3, 4}, {2, 12, 3, 5}, 3, 1, true},
      {"an identity perm", {2, 3, 4, 3, 5}, {0, 1, 2, 3, 4}, {2, 12, 3, 5}, 0, 0, false},
      {"on H", {2, 12, 3, 1, 5}, {0, 1, 3, 2, 4}, {2, 12, 3, 5}, 3, 2, true},
      {"a perm that swaps other dims",
       {2, 3, 4, 3, 5},
       {0, 1, 2, 4, 3},
       {2, 12, 3, 5},
       0,
       0,
       false},
      {"reshaped back to another shape",
       {2, 3, 4, 3, 5},
       {0, 2, 1, 3, 4},
       {2, 4, 3, 15},
       0,
       0,
       false},
  };
  for (const ShuffleCase& c : cases) {
    ir::Graph before = shuffle_graph(c);
    ir::Graph g = before;
    auto pass = make_fuse_channel_shuffle();
    EXPECT_EQ(run_pass(*pass, g), c.fuses) << c.what;
    EXPECT_EQ(count_ops(g, "ChannelShuffle"), c.fuses ? 1 : 0) << c.what;
    if (!c.fuses) continue;
    const ir::Node* n = producer_of(g, "shuffled");
    ASSERT_NE(n, nullptr) << c.what;
    EXPECT_EQ(n->op, "ChannelShuffle");
    EXPECT_EQ(n->params.get_int("num_groups"), c.groups) << c.what;
    EXPECT_EQ(n->params.get_int("axis"), c.axis) << c.what;
    EXPECT_EQ(g.nodes.size(), 3u) << c.what;
    EXPECT_EQ(max_rel_error(before, g), 0.0) << c.what;  // data movement: exact
  }
}

TEST(FuseChannelShuffle, AnIntermediateReadElsewhereOrAnOutputKeepsThePattern) {
  const ShuffleCase c{"", {2, 3, 4, 3, 5}, {0, 2, 1, 3, 4}, {2, 12, 3, 5}, 3, 1, true};
  for (const char* t : {"split", "swapped"})
    for (bool as_output : {false, true}) {
      ir::Graph g = shuffle_graph(c);
      if (as_output)
        make_graph_output(g, t);
      else
        add_reader(g, t);
      auto pass = make_fuse_channel_shuffle();
      EXPECT_FALSE(run_pass(*pass, g)) << t;
    }
}

// Conv -> shuffle -> Conv as the importer writes it: after the whole pipeline the shuffle is
// one ChannelShuffle on the channel-last axis between the convolutions, with no transposes.
TEST(FuseChannelShuffle, SurvivesTheLayoutPassesOnTheChannelAxis) {
  GraphBuilder b;
  auto x = b.input("x", {1, 4, 6, 6});
  auto c1 = b.conv(x, 12, 1, "c1");
  auto s = b.node("Reshape", {c1}, "split", params({{"shape", ints({1, 2, 6, 6, 6})}}));
  auto t = b.node("Transpose", {s}, "swapped", params({{"perm", ints({0, 2, 1, 3, 4})}}));
  auto y = b.node("Reshape", {t}, "shuffled", params({{"shape", ints({1, 12, 6, 6})}}));
  b.output(b.conv(y, 8, 3, "c2"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  PipelineOptions o;
  o.optimization_level = "medium";
  auto st = run_pipeline(g, o);
  ASSERT_TRUE(st.is_ok()) << st.error().message;
  ASSERT_EQ(count_ops(g, "ChannelShuffle"), 1);
  for (const ir::Node& n : g.nodes)
    if (n.op == "ChannelShuffle") {
      EXPECT_EQ(n.params.get_int("axis"), 3);  // NHWC
      EXPECT_EQ(n.params.get_int("num_groups"), 2);
    }
  EXPECT_EQ(count_ops(g, "Transpose"), 0);
  EXPECT_EQ(count_ops(g, "Reshape"), 0);
  EXPECT_LT(max_rel_error(before, g), 1e-6);
}

}  // namespace
}  // namespace oqnn::passes::testing
