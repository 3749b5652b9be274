#include "backends/cpu/fast/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace oqnn::cpu::fast {
namespace {

// Rows of A packed per block (the A block stays in L2 while every B panel streams past
// it) and the k depth of one pass (a B panel slice kc x nr stays in L1).
constexpr int64_t kRowsPerBlock = 96;
constexpr int64_t kMaxDepth = 256;
// Bound on a thread's packed A block (floats): very deep convolutions get fewer rows
// per block instead of tens of megabytes of scratch.
constexpr int64_t kMaxPackedA = int64_t{1} << 20;
// Enough work items that a few threads split the work evenly.
constexpr int64_t kMinItems = 16;
constexpr int kMaxTile = 16 * 32;  // the largest micro-kernel tile (12x32) fits

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

AlignedFloats::AlignedFloats(size_t count) : size_(count) {
  size_t bytes = std::max<size_t>(64, (count * sizeof(float) + 63) / 64 * 64);
  float* p = static_cast<float*>(std::aligned_alloc(64, bytes));
  if (!p) throw std::bad_alloc();
  data_.reset(p);
}

void AlignedFloats::Free::operator()(float* p) const {
  std::free(p);
}

void pack_a_columns(const float* const* src, int mr, int64_t len, float* dst) {
  for (int r = 0; r < mr; ++r) {
    const float* s = src[r];
    if (s) {
      for (int64_t k = 0; k < len; ++k) dst[k * mr + r] = s[k];
    } else {
      for (int64_t k = 0; k < len; ++k) dst[k * mr + r] = 0.0f;
    }
  }
}

PackedGemm::PackedGemm(GemmShape shape, const MicroKernel& uk, StridedB b)
    : shape_(shape), uk_(uk) {
  const int64_t mr = uk.mr, nr = uk.nr;
  Blocking& k = blk_;
  const int64_t rows_fit = std::max<int64_t>(1, kMaxPackedA / std::max<int64_t>(shape.k, 1) / mr);
  k.mc = std::min({kRowsPerBlock / mr, rows_fit, ceil_div(std::max<int64_t>(shape.m, 1), mr)}) * mr;
  k.m_blocks = ceil_div(shape.m, k.mc);
  k.k_blocks = std::max<int64_t>(1, ceil_div(shape.k, kMaxDepth));
  k.kc = ceil_div(shape.k, k.k_blocks);
  k.panels = ceil_div(shape.n, nr);
  int64_t row_items = std::max<int64_t>(1, shape.groups * k.m_blocks);
  int64_t want_chunks =
      std::clamp<int64_t>(ceil_div(kMinItems, row_items), 1, std::max<int64_t>(1, k.panels));
  k.chunk_panels = std::max<int64_t>(1, ceil_div(k.panels, want_chunks));
  k.chunks = ceil_div(k.panels, k.chunk_panels);
  k.items = shape.groups * k.m_blocks * k.chunks;

  b_ = AlignedFloats(static_cast<size_t>(shape.groups * k.panels * shape.k * nr));
  float* dst = b_.data();
  for (int64_t g = 0; g < shape.groups; ++g)
    for (int64_t p = 0; p < k.panels; ++p)
      for (int64_t kk = 0; kk < shape.k; ++kk) {
        const float* row = b.data + g * b.group_stride + kk * b.row_stride;
        for (int64_t j = 0; j < nr; ++j) {
          const int64_t col = p * nr + j;
          *dst++ = col < shape.n ? row[col * b.col_stride] : 0.0f;
        }
      }
}

std::unique_ptr<AlignedFloats> PackedGemm::take_scratch() {
  {
    std::lock_guard<std::mutex> lk(scratch_mu_);
    if (!scratch_.empty()) {
      auto s = std::move(scratch_.back());
      scratch_.pop_back();
      return s;
    }
  }
  return std::make_unique<AlignedFloats>(
      static_cast<size_t>(blk_.mc * std::max<int64_t>(shape_.k, 1)));
}

void PackedGemm::give_scratch(std::unique_ptr<AlignedFloats> s) {
  std::lock_guard<std::mutex> lk(scratch_mu_);
  scratch_.push_back(std::move(s));
}

void PackedGemm::run(const float* bias, ActivationRange act, const PackAFn& pack_a, float* c,
                     rt::ThreadPool* pool) {
  if (shape_.m == 0 || shape_.n == 0) return;
  // The micro-kernel starts each tile from nr bias values: lay them out per panel.
  const int64_t nr = uk_.nr;
  std::vector<float> padded(static_cast<size_t>(shape_.groups * blk_.panels * nr), 0.0f);
  if (bias)
    for (int64_t g = 0; g < shape_.groups; ++g)
      for (int64_t j = 0; j < shape_.n; ++j)
        padded[static_cast<size_t>((g * blk_.panels + j / nr) * nr + j % nr)] =
            bias[g * shape_.n + j];
  // Buffers for every thread up front: an allocation failure then surfaces here, on the
  // calling thread, rather than inside a worker.
  {
    std::lock_guard<std::mutex> lk(scratch_mu_);
    size_t want = static_cast<size_t>(pool ? pool->size() : 1);
    while (scratch_.size() < want)
      scratch_.push_back(std::make_unique<AlignedFloats>(
          static_cast<size_t>(blk_.mc * std::max<int64_t>(shape_.k, 1))));
  }
  auto work = [&](int64_t begin, int64_t end) {
    run_items(begin, end, padded.data(), act, pack_a, c);
  };
  if (pool)
    pool->parallel_for(blk_.items, 1, work);
  else
    work(0, blk_.items);
}

void PackedGemm::run_items(int64_t begin, int64_t end, const float* bias, ActivationRange act,
                           const PackAFn& pack_a, float* c) {
  const int mr = uk_.mr, nr = uk_.nr;
  const int64_t ldc = shape_.groups * shape_.n;
  std::unique_ptr<AlignedFloats> scratch = take_scratch();
  float* abuf = scratch->data();
  alignas(64) float tile[kMaxTile];
  int64_t packed_g = -1, packed_mb = -1;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t chunk = item % blk_.chunks;
    const int64_t mb = item / blk_.chunks % blk_.m_blocks;
    const int64_t g = item / blk_.chunks / blk_.m_blocks;
    const int64_t m0 = mb * blk_.mc, rows = std::min(blk_.mc, shape_.m - m0);
    const int64_t rpanels = ceil_div(rows, mr);
    // Items of one row block are adjacent: pack its A once for all of them.
    if (g != packed_g || mb != packed_mb) {
      for (int64_t k0 = 0; k0 < shape_.k; k0 += blk_.kc)
        pack_a(g, m0, rows, k0, std::min(blk_.kc, shape_.k - k0), mr, abuf + k0 * rpanels * mr);
      packed_g = g, packed_mb = mb;
    }
    const int64_t p_end = std::min(blk_.panels, (chunk + 1) * blk_.chunk_panels);
    for (int64_t kb = 0; kb < blk_.k_blocks; ++kb) {
      const int64_t k0 = kb * blk_.kc, kc = std::max<int64_t>(0, std::min(blk_.kc, shape_.k - k0));
      const int flags = (kb == 0 ? kTileInit : 0) | (kb == blk_.k_blocks - 1 ? kTileLast : 0);
      for (int64_t p = chunk * blk_.chunk_panels; p < p_end; ++p) {
        const float* bp = b_.data() + ((g * blk_.panels + p) * shape_.k + k0) * nr;
        const float* biasp = bias + (g * blk_.panels + p) * nr;
        const int64_t cols = std::min<int64_t>(nr, shape_.n - p * nr);
        for (int64_t rp = 0; rp < rpanels; ++rp) {
          const float* ap = abuf + k0 * rpanels * mr + rp * kc * mr;
          float* cp = c + (m0 + rp * mr) * ldc + g * shape_.n + p * nr;
          const int64_t rws = std::min<int64_t>(mr, rows - rp * mr);
          if (rws == mr && cols == nr) {
            uk_.fn(kc, ap, bp, cp, ldc, biasp, flags, act.lo, act.hi);
            continue;
          }
          // Partial tile: run the same kernel on a full tile in scratch, copy the valid part.
          if (!(flags & kTileInit))
            for (int64_t r = 0; r < mr; ++r)
              for (int64_t j = 0; j < nr; ++j)
                tile[r * nr + j] = r < rws && j < cols ? cp[r * ldc + j] : 0.0f;
          uk_.fn(kc, ap, bp, tile, nr, biasp, flags, act.lo, act.hi);
          for (int64_t r = 0; r < rws; ++r)
            std::memcpy(cp + r * ldc, tile + r * nr, static_cast<size_t>(cols) * sizeof(float));
        }
      }
    }
  }
  give_scratch(std::move(scratch));
}

}  // namespace oqnn::cpu::fast
