// Pooling, ReduceMean and the data-movement kernels against the float simulation.
#include <gtest/gtest.h>

#include "sim_check.h"

namespace oqnn::htp::test {
namespace {

ir::Graph pool_graph(const std::string& op, ir::Shape x, std::vector<int64_t> k,
                     std::vector<int64_t> stride, std::vector<int64_t> pad, int64_t ceil,
                     int64_t count_pad, bool same_encoding) {
  GraphBuilder b;
  ir::TensorId in = b.input("x", x, u8(-1, 3));
  ir::Params p;
  p.set("filter_size", k);
  p.set("stride", stride);
  p.set("pad_amount", pad);
  p.set("rounding_mode", ceil);
  if (op == "PoolAvg2d") p.set("count_pad_for_edges", count_pad);
  b.node(op, {in}, same_encoding ? std::optional(u8(-1, 3)) : std::nullopt, p);
  calibrate(b.g, 8, 2);
  return b.g;
}

TEST(HtpKernels, PoolsMatchFloatSimulation) {
  for (const char* op : {"PoolMax2d", "PoolAvg2d"}) {
    SCOPED_TRACE(op);
    expect_matches_float_sim(pool_graph(op, {1, 8, 8, 3}, {2, 2}, {2, 2}, {0, 0, 0, 0}, 0, 0, true),
                             1);
    expect_matches_float_sim(
        pool_graph(op, {2, 7, 9, 4}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 1, 0, false), 2);
    expect_matches_float_sim(
        pool_graph(op, {1, 7, 7, 5}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 1, 1, false), 3);
    expect_matches_float_sim(
        pool_graph(op, {1, 6, 6, 16}, {6, 6}, {1, 1}, {0, 0, 0, 0}, 0, 0, false), 4);
  }
}

TEST(HtpKernels, ReduceMeanMatchesFloatSimulation) {
  for (int64_t keep : {1, 0}) {
    GraphBuilder b;
    ir::TensorId x = b.input("x", {2, 5, 6, 3}, u8(-2, 2));
    ir::Params p;
    p.set("axes", std::vector<int64_t>{1, 2});
    p.set("keep_dims", keep);
    b.node("ReduceMean", {x}, std::nullopt, p);
    calibrate(b.g, 8, 1);
    expect_matches_float_sim(b.g, 1);
  }
}

TEST(HtpKernels, ReshapeAndTransposeMoveOrRequantizeCodes) {
  for (bool same : {true, false}) {
    GraphBuilder b;
    ir::TensorId x = b.input("x", {2, 3, 4, 5}, u8(-1, 1));
    ir::Params p;
    p.set("perm", std::vector<int64_t>{0, 3, 1, 2});
    b.node("Transpose", {x}, same ? std::optional(u8(-1, 1)) : std::optional(u8(-0.5, 2)), p);
    expect_matches_float_sim(b.g, 1);

    GraphBuilder r;
    x = r.input("x", {2, 3, 4}, u8(-1, 1));
    ir::Params rp;
    rp.set("shape", std::vector<int64_t>{6, 4});
    r.node("Reshape", {x}, same ? std::optional(u8(-1, 1)) : std::optional(u16(-1, 1)), rp);
    expect_matches_float_sim(r.g, 2);
  }
}

TEST(HtpKernels, ConcatRequantizesInputsWithOtherEncodings) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3, 4}, u8(-1, 1));
  ir::TensorId y = b.input("y", {2, 2, 4}, u8(0, 4));
  ir::TensorId z = b.input("z", {2, 1, 4}, u8(-1, 4));
  ir::Params p;
  p.set("axis", int64_t{1});
  b.node("Concat", {x, y, z}, u8(-1, 4), p);
  expect_matches_float_sim(b.g, 1);
}

TEST(HtpKernels, PadSchemesMatchFloatSimulation) {
  for (const char* scheme : {"constant", "reflect", "edge"}) {
    SCOPED_TRACE(scheme);
    GraphBuilder b;
    ir::TensorId x = b.input("x", {1, 4, 5, 2}, u8(-1, 2));
    ir::Params p;
    p.set("pad_amount", std::vector<int64_t>{0, 0, 1, 2, 3, 1, 0, 0});
    p.set("scheme", std::string(scheme));
    if (std::string(scheme) == "constant") p.set("pad_constant_value", 0.5);
    b.node("Pad", {x}, u8(-1, 2), p);
    expect_matches_float_sim(b.g, 1);
  }
}

}  // namespace
}  // namespace oqnn::htp::test
