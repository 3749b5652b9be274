#include <gtest/gtest.h>

#include "passes/perm.h"

namespace oqnn::passes {
namespace {

TEST(Perm, ComposeInverseAndChannelLast) {
  Perm to_last = to_channel_last(4), to_first = to_channel_first(4);
  EXPECT_EQ(to_last, (Perm{0, 2, 3, 1}));
  EXPECT_EQ(to_first, (Perm{0, 3, 1, 2}));
  EXPECT_TRUE(is_identity(compose(to_last, to_first)));
  EXPECT_EQ(compose(to_last, to_last), (Perm{0, 3, 1, 2}));
  EXPECT_EQ(inverse(Perm{2, 0, 1}), (Perm{1, 2, 0}));
  EXPECT_TRUE(is_permutation(Perm{1, 0, 2}));
  EXPECT_FALSE(is_permutation(Perm{1, 1, 2}));
  EXPECT_EQ(to_channel_last(3), (Perm{0, 2, 1}));
}

TEST(Perm, UnitDimMoves) {
  EXPECT_TRUE(moves_only_unit_dims({1, 8, 1, 1}, {0, 2, 3, 1}));
  EXPECT_TRUE(moves_only_unit_dims({1, 1, 1, 8}, {0, 3, 1, 2}));
  EXPECT_FALSE(moves_only_unit_dims({1, 8, 2, 1}, {0, 2, 3, 1}));
  EXPECT_TRUE(moves_only_unit_dims({2, 1, 3}, {1, 0, 2}));
}

TEST(Perm, PermuteDataMatchesIndexing) {
  // x[a][b][c] = 100a + 10b + c over shape [2,3,4]; transpose by (2,0,1).
  std::vector<float> x;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) x.push_back(static_cast<float>(100 * a + 10 * b + c));
  auto blob = make_owned_blob(x.data(), x.size() * sizeof(float));
  auto out = permute_data(*blob, {2, 3, 4}, sizeof(float), {2, 0, 1});
  const float* y = reinterpret_cast<const float*>(out->data());
  EXPECT_EQ(permute_shape({2, 3, 4}, {2, 0, 1}), (ir::Shape{4, 2, 3}));
  for (int c = 0; c < 4; ++c)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b)
        EXPECT_EQ(y[(c * 2 + a) * 3 + b], static_cast<float>(100 * a + 10 * b + c));
  EXPECT_EQ(align_rank({3, 1}, 4), (ir::Shape{1, 1, 3, 1}));
}

}  // namespace
}  // namespace oqnn::passes
