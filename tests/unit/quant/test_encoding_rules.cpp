// The range rules of qnn-cli.md "Quantization semantics", as encoding_math implements them.
#include <gtest/gtest.h>

#include <limits>

#include "quant/encoding_math.h"

namespace oqnn::quant {
namespace {

TEST(TfRule, DocumentedExample) {
  // qnn-cli.md: [-1.8, 0.5] at 8 bits -> [-1.803922, 0.496078], zero point 200.
  ir::Encoding e = tf_encoding(-1.8, 0.5, 8);
  EXPECT_FALSE(e.is_signed);
  EXPECT_EQ(e.offset[0], -200);
  EXPECT_NEAR(e.min(), -1.803922, 1e-6);
  EXPECT_NEAR(e.max(), 0.496078, 1e-6);
  EXPECT_NEAR(e.scale[0], (0.5 + 1.8) / 255.0, 1e-12);
}

TEST(TfRule, AllPositiveRangeStartsAtZero) {
  ir::Encoding e = tf_encoding(0.5, 2.0, 8);
  EXPECT_EQ(e.offset[0], 0);
  EXPECT_EQ(e.min(), 0.0);
  EXPECT_NEAR(e.max(), 2.0, 1e-12);
}

TEST(TfRule, AllNegativeRangeEndsAtZero) {
  ir::Encoding e = tf_encoding(-3.0, -1.0, 8);
  EXPECT_EQ(e.offset[0], -255);
  EXPECT_EQ(e.max(), 0.0);
  EXPECT_NEAR(e.min(), -3.0, 1e-12);
}

TEST(TfRule, MinimumRange) {
  for (double v : {0.0, 1e-9}) {
    ir::Encoding e = tf_encoding(v, v, 8);
    EXPECT_NEAR(e.max() - e.min(), 1e-4, 1e-12) << v;
    EXPECT_GT(e.scale[0], 0.0);
  }
  ir::Encoding wide = tf_encoding(-1.0, 1.0, 16);
  EXPECT_NEAR(wide.scale[0], 2.0 / 65535.0, 1e-15);
}

TEST(TfRule, ZeroIsExactlyRepresentable) {
  for (auto [lo, hi] : {std::pair{-1.8, 0.5}, {-0.013, 7.7}, {-100.0, 3.0}, {-2.0, 2.0}}) {
    for (int bw : {8, 16}) {
      ir::Encoding e = tf_encoding(lo, hi, bw);
      EXPECT_EQ(dequantize_value(quantize_value(0.0, e), e), 0.0) << lo << " " << hi << " " << bw;
      EXPECT_LE(e.min(), lo + e.scale[0]);
      EXPECT_GE(e.max(), hi - e.scale[0]);
    }
  }
}

TEST(SymmetricRule, RangeIsPlusMinusAbsMax) {
  ir::Encoding e = symmetric_encoding(-0.5, 2.0, 8);
  EXPECT_TRUE(e.is_signed);
  EXPECT_TRUE(e.symmetric);
  EXPECT_EQ(e.offset[0], 0);
  EXPECT_NEAR(e.scale[0], 2.0 / 127.0, 1e-15);
  EXPECT_EQ(e.qmin(), -128);
  EXPECT_EQ(e.qmax(), 127);
  EXPECT_EQ(quantize_value(2.0, e), 127);
  EXPECT_EQ(quantize_value(-2.0, e), -127);
  ir::Encoding four = symmetric_encoding(-3.0, 1.0, 4);
  EXPECT_NEAR(four.scale[0], 3.0 / 7.0, 1e-15);
}

TEST(Quantize, ThirtyTwoBitUnsignedCodesStayInsideInt32) {
  // Found by tests/fuzz: qmax 2^32 - 1 made the cast to int32 undefined.
  ir::Encoding e = encoding_from_scale_offset(1.0, 0, 32, false);
  EXPECT_EQ(quantize_value(5e9, e, 0), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(quantize_value(-5.0, e, 0), 0);
}

}  // namespace
}  // namespace oqnn::quant
