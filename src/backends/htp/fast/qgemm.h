// The fixed-point GEMM engine of the HTP fast kernels: C[m][n] = sum_k a[m][k] * w[k][n] in
// exact integer arithmetic, weights packed once in 16-channel blocks, register-tiled
// micro-kernels for AVX512-VNNI, AVX2 and a portable path, picked at run time.
//
// Two packed layouts, both consuming 4 bytes of an A row and 64 bytes of a weight block per
// step:
//  - quad (AVX512-VNNI, 8-bit activations): A as uint8 codes, weights int8 as
//    [step][16 channels][4 consecutive k] (vpdpbusd: u8 x s8, four products per int32 lane);
//  - pair (AVX2, and 16-bit activations everywhere): A as int16, weights int16 as
//    [step][16 channels][2 consecutive k] (vpmaddwd / vpdpwssd: s16 x s16, two products per
//    lane; with int8-range weights no pair sum saturates).
// Every sum is exact, so every ISA, tile and thread split gives the same integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace oqnn::htp::fast {

enum class Isa { kPortable, kAvx2, kAvx512Vnni };

const char* isa_name(Isa isa);
// The best ISA this CPU runs, lowered by OQNN_HTP_ISA=portable|avx2|avx512vnni (never raised
// above what the CPU has), or the one force_isa set.
Isa gemm_isa();
// Tests: make kernels created from now on use `isa` (clamped to what the CPU runs);
// std::nullopt restores the default. Returns the ISA in effect.
Isa force_isa(std::optional<Isa> isa);
// Whether this CPU runs `isa`.
bool cpu_runs(Isa isa);

enum class Layout { kQuad, kPair };

// One register tile: c[i * ldc + 16 * b + j] = sum over `steps` of row i of A (lda bytes
// apart) times block b of the weights (wstride bytes apart), i < mr, b < nb.
using TileFn = void (*)(const uint8_t* a, int64_t lda, const uint8_t* w, int64_t wstride,
                        int64_t steps, int32_t* c, int64_t ldc);

struct TileSet {
  int mr = 0, nb = 0;                  // largest tile: mr rows x nb 16-channel blocks
  TileFn (*get)(int mr, int nb) = {};  // tile for mr <= this->mr rows, nb <= this->nb blocks
};

// Tile sets (qgemm_<isa>.cpp); the AVX ones exist on x86-64 only.
TileSet portable_tiles(Layout layout);
#if defined(__x86_64__)
TileSet avx2_tiles();                 // pair layout
TileSet avx512_tiles(Layout layout);  // quad or pair
#endif

// A requantize_row_i32 (dot.h) variant: codes[j] = quant::requantize_int32(acc[j] + bias[j],
// mult[j], shift[j], zero, lo, hi).
using RequantRowFn = void (*)(const int32_t* acc, const int32_t* bias, const int32_t* mult,
                              const int32_t* shift, int64_t n, int32_t zero, int32_t lo, int32_t hi,
                              int32_t* codes);
#if defined(__x86_64__)
// The same with AVX-512 intrinsics, 8 channels per step (qgemm_avx512.cpp).
void requantize_row_i32_avx512(const int32_t* acc, const int32_t* bias, const int32_t* mult,
                               const int32_t* shift, int64_t n, int32_t zero, int32_t lo,
                               int32_t hi, int32_t* codes);
#endif

class QGemm {
 public:
  // k x n weights, w(k, j) the centred weight, which must lie in [-128, 127]. `wide` for
  // 16-bit activations (pair layout, A values = code - 32768); 8-bit activations use the
  // quad layout on AVX512-VNNI and the portable path, the pair layout on AVX2.
  QGemm(Isa isa, bool wide, int64_t k, int64_t n,
        const std::function<int32_t(int64_t, int64_t)>& w);

  Layout layout() const { return layout_; }
  int64_t k() const { return k_; }
  int64_t n() const { return n_; }
  // A row length in elements (K padded to a multiple of 4; the padding must hold 0).
  int64_t row_elems() const { return kp_; }
  // The offset subtracted from activation codes when writing A (0 or 32768).
  int32_t a_offset() const { return a_offset_; }
  // sum_k w(k, j): the zero-point compensation is -(zx - a_offset) * w_sum(j).
  const std::vector<int64_t>& w_sum() const { return w_sum_; }
  // Largest number of steps whose sum fits int32 for any A values (the whole K for 8-bit
  // activations).
  int64_t max_steps() const { return max_steps_; }

  // c[i * ldc + j] = sum over steps [s0, s0 + steps) for rows i < m and the channels of
  // 16-channel blocks [b0, b1) (b1 < 0: all; c has room for them rounded up to 16). `a`: m
  // rows of row_elems() elements, lda elements apart, of uint8 (quad) or int16 (pair).
  void multiply(const void* a, int64_t lda, int64_t m, int64_t s0, int64_t steps, int32_t* c,
                int64_t ldc, int64_t b0 = 0, int64_t b1 = -1) const;
  int64_t steps() const { return steps_; }
  int64_t blocks() const { return blocks_; }
  int64_t padded_n() const { return blocks_ * 16; }

 private:
  Layout layout_;
  TileSet tiles_;
  int64_t k_, n_, kp_, steps_, blocks_;
  int32_t a_offset_;
  int64_t max_steps_;
  std::vector<int64_t> w_sum_;
  std::vector<std::byte> packed_;  // [block][step][64 bytes]
};

}  // namespace oqnn::htp::fast
