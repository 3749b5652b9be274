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
// Fewer multiply-adds than this run on the calling thread: waking workers costs more
// (the small MatMuls of a transformer's attention heads).
constexpr int64_t kMinParallelMacs = int64_t{1} << 18;
// Enough work items that a few threads split the work evenly.
constexpr int64_t kMinItems = 16;
constexpr int kMaxTile = 16 * 32;  // the largest micro-kernel tile (12x32) fits

// Depth of one pass; OQNN_GEMM_DEPTH overrides it (measurements only: results do not
// depend on it).
int64_t max_depth() {
  static const int64_t d = [] {
    const char* e = std::getenv("OQNN_GEMM_DEPTH");
    return e && std::atoll(e) > 0 ? std::atoll(e) : kMaxDepth;
  }();
  return d;
}

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
  if (shape_.ldc == 0) shape_.ldc = shape.groups * shape.n, shape_.c_group_stride = shape.n;
  const int64_t mr = uk.mr, nr = uk.nr;
  Blocking& k = blk_;
  const int64_t rows_fit = std::max<int64_t>(1, kMaxPackedA / std::max<int64_t>(shape.k, 1) / mr);
  k.mc = std::min({kRowsPerBlock / mr, rows_fit, ceil_div(std::max<int64_t>(shape.m, 1), mr)}) * mr;
  k.m_blocks = ceil_div(shape.m, k.mc);
  k.panels = ceil_div(shape.n, nr);
  int64_t row_items = std::max<int64_t>(1, shape.groups * k.m_blocks);
  int64_t want_chunks =
      std::clamp<int64_t>(ceil_div(kMinItems, row_items), 1, std::max<int64_t>(1, k.panels));
  k.chunk_panels = std::max<int64_t>(1, ceil_div(k.panels, want_chunks));
  k.chunks = ceil_div(k.panels, k.chunk_panels);
  k.items = shape.groups * k.m_blocks * k.chunks;
  const int64_t depth = max_depth();
  if (shape.run > 0) {
    // Whole runs per pass while they fit the depth, else each run in equal pieces.
    const int64_t runs = shape.k / shape.run;
    if (shape.run <= depth) {
      const int64_t per = depth / shape.run;
      for (int64_t r0 = 0; r0 < runs; r0 += per) {
        const int64_t nr_runs = std::min(per, runs - r0);
        k.depth.push_back({r0 * shape.run, nr_runs * shape.run, r0, nr_runs, 0, shape.run});
      }
    } else {
      const int64_t pieces = ceil_div(shape.run, depth), len = ceil_div(shape.run, pieces);
      for (int64_t r = 0; r < runs; ++r)
        for (int64_t off = 0; off < shape.run; off += len) {
          const int64_t l = std::min(len, shape.run - off);
          k.depth.push_back({r * shape.run + off, l, r, 1, off, l});
        }
    }
    zeros_ = AlignedFloats(static_cast<size_t>(shape.run));
    std::fill_n(zeros_.data(), shape.run, 0.0f);
  } else {
    const int64_t blocks = std::max<int64_t>(1, ceil_div(shape.k, depth));
    const int64_t kc = std::max<int64_t>(1, ceil_div(shape.k, blocks));
    for (int64_t k0 = 0; k0 < std::max<int64_t>(shape.k, 1); k0 += kc)
      k.depth.push_back({k0, std::max<int64_t>(0, std::min(kc, shape.k - k0)), 0, 0, 0, 0});
  }
  if (b.data || b.group_data) {
    b_ = AlignedFloats(packed_b_size());
    pack_b(b, b_.data(), nullptr);
  }
}

size_t PackedGemm::packed_b_size() const {
  return static_cast<size_t>(shape_.groups * blk_.panels * shape_.k * uk_.nr);
}

void PackedGemm::pack_b(StridedB b, float* dst, rt::ThreadPool* pool) const {
  const int64_t nr = uk_.nr, panels = blk_.panels;
  auto pack = [&](int64_t begin, int64_t end) {
    for (int64_t gp = begin; gp < end; ++gp) {
      const int64_t g = gp / panels, p = gp % panels;
      float* d = dst + gp * shape_.k * nr;
      const int64_t cols = std::min(nr, shape_.n - p * nr);
      for (int64_t kk = 0; kk < shape_.k; ++kk) {
        const float* base = b.group_data ? b.group_data[g] : b.data + g * b.group_stride;
        const float* row = base + kk * b.row_stride + p * nr * b.col_stride;
        int64_t j = 0;
        if (b.col_stride == 1)
          for (; j < cols; ++j) d[j] = row[j];
        else
          for (; j < cols; ++j) d[j] = row[j * b.col_stride];
        for (; j < nr; ++j) d[j] = 0.0f;
        d += nr;
      }
    }
  };
  if (pool && shape_.groups * shape_.m * shape_.n * shape_.k >= kMinParallelMacs)
    pool->parallel_for(shape_.groups * panels, 1, pack);
  else
    pack(0, shape_.groups * panels);
}

std::unique_ptr<PackedGemm::Scratch> PackedGemm::make_scratch() const {
  auto s = std::make_unique<Scratch>();
  if (shape_.run > 0)
    s->rows.resize(static_cast<size_t>(blk_.mc * (shape_.k / shape_.run)));
  else
    s->a = AlignedFloats(static_cast<size_t>(blk_.mc * std::max<int64_t>(shape_.k, 1)));
  return s;
}

std::unique_ptr<PackedGemm::Scratch> PackedGemm::take_scratch() {
  {
    std::lock_guard<std::mutex> lk(scratch_mu_);
    if (!scratch_.empty()) {
      auto s = std::move(scratch_.back());
      scratch_.pop_back();
      return s;
    }
  }
  return make_scratch();
}

void PackedGemm::give_scratch(std::unique_ptr<Scratch> s) {
  std::lock_guard<std::mutex> lk(scratch_mu_);
  scratch_.push_back(std::move(s));
}

void PackedGemm::run(const float* bias, ActivationRange act, const PackAFn& pack_a,
                     const RowsFn& rows, float* c, rt::ThreadPool* pool, const float* packed_b) {
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
    while (scratch_.size() < want) scratch_.push_back(make_scratch());
  }
  const float* b = packed_b ? packed_b : b_.data();
  if (shape_.groups * shape_.m * shape_.n * shape_.k < kMinParallelMacs) pool = nullptr;
  auto work = [&](int64_t begin, int64_t end) {
    run_items(begin, end, padded.data(), act, pack_a, rows, b, c);
  };
  if (pool)
    pool->parallel_for(blk_.items, 1, work);
  else
    work(0, blk_.items);
}

void PackedGemm::run_items(int64_t begin, int64_t end, const float* bias, ActivationRange act,
                           const PackAFn& pack_a, const RowsFn& rows_fn, const float* packed_b,
                           float* c) {
  const int mr = uk_.mr, nr = uk_.nr;
  const int64_t ldc = shape_.ldc, runs = shape_.run > 0 ? shape_.k / shape_.run : 0;
  std::unique_ptr<Scratch> scratch = take_scratch();
  float* abuf = scratch->a.data();
  const float** ptrs = scratch->rows.data();
  alignas(64) float tile[kMaxTile];
  const float* shifted[kMaxMr];
  int64_t packed_g = -1, packed_mb = -1;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t chunk = item % blk_.chunks;
    const int64_t mb = item / blk_.chunks % blk_.m_blocks;
    const int64_t g = item / blk_.chunks / blk_.m_blocks;
    const int64_t m0 = mb * blk_.mc, rows = std::min(blk_.mc, shape_.m - m0);
    const int64_t rpanels = ceil_div(rows, mr);
    // Items of one row block are adjacent: pack its A (or find its rows) once for all.
    if (g != packed_g || mb != packed_mb) {
      if (rows_fn) {
        for (int64_t rp = 0; rp < rpanels; ++rp) {
          const int64_t valid = std::min<int64_t>(mr, rows - rp * mr);
          for (int64_t r = 0; r < runs; ++r) {
            const float** dst = ptrs + (rp * runs + r) * mr;
            rows_fn(g, m0 + rp * mr, valid, r, zeros_.data(), dst);
            for (int64_t i = valid; i < mr; ++i) dst[i] = zeros_.data();
          }
        }
      } else {
        for (const DepthBlock& d : blk_.depth)
          pack_a(g, m0, rows, d.k0, d.kc, mr, abuf + d.k0 * rpanels * mr);
      }
      packed_g = g, packed_mb = mb;
    }
    const int64_t p_end = std::min(blk_.panels, (chunk + 1) * blk_.chunk_panels);
    for (size_t kb = 0; kb < blk_.depth.size(); ++kb) {
      const DepthBlock& d = blk_.depth[kb];
      const int flags = (kb == 0 ? kTileInit : 0) | (kb + 1 == blk_.depth.size() ? kTileLast : 0);
      for (int64_t p = chunk * blk_.chunk_panels; p < p_end; ++p) {
        const float* bp = packed_b + ((g * blk_.panels + p) * shape_.k + d.k0) * nr;
        const float* biasp = bias + (g * blk_.panels + p) * nr;
        const int64_t cols = std::min<int64_t>(nr, shape_.n - p * nr);
        for (int64_t rp = 0; rp < rpanels; ++rp) {
          float* cp = c + g * shape_.c_group_stride + (m0 + rp * mr) * ldc + p * nr;
          const int64_t rws = std::min<int64_t>(mr, rows - rp * mr);
          // In place, the kernel computes just the valid rows; a packed A panel is whole.
          const bool full = (rows_fn || rws == mr) && cols == nr;
          float* out = full ? cp : tile;
          const int64_t ld = full ? ldc : nr;
          // Partial tile: run the same kernel on a full tile in scratch, copy the valid part.
          if (!full && !(flags & kTileInit))
            for (int64_t r = 0; r < mr; ++r)
              for (int64_t j = 0; j < nr; ++j)
                tile[r * nr + j] = r < rws && j < cols ? cp[r * ldc + j] : 0.0f;
          if (rows_fn) {
            const float* const* a = ptrs + (rp * runs + d.run0) * mr;
            if (d.offset != 0) {
              for (int r = 0; r < mr; ++r) shifted[r] = a[r] + d.offset;
              a = shifted;
            }
            uk_.rows_fn(static_cast<int>(rws), d.runs, d.len, a, bp, out, ld, biasp, flags, act.lo,
                        act.hi);
          } else {
            const float* ap = abuf + d.k0 * rpanels * mr + rp * d.kc * mr;
            uk_.fn(d.kc, ap, bp, out, ld, biasp, flags, act.lo, act.hi);
          }
          if (!full)
            for (int64_t r = 0; r < rws; ++r)
              std::memcpy(cp + r * ldc, tile + r * nr, static_cast<size_t>(cols) * sizeof(float));
        }
      }
    }
  }
  give_scratch(std::move(scratch));
}

}  // namespace oqnn::cpu::fast
