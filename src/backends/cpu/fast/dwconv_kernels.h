// DepthWiseConv2d row kernels, one per ISA (dwconv_<isa>.cpp): one output row (image img,
// row oh) of all wo pixels, NHWC. Plain data only, no inline functions: see
// micro_kernel_impl.inc for why.
#pragma once

#include <cstdint>
#include <span>

namespace oqnn::cpu::fast {

struct DwRow {
  int64_t h, w, cin, cout, mult, kh, kw, ho, wo;
  int64_t stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
  float lo, hi;
};

using DwRowFn = void (*)(const DwRow& c, const float* x, const float* w, const float* bias,
                         int64_t img, int64_t oh, float* y);

struct DwKernel {
  const char* name;
  DwRowFn fn;
};

// Available on this CPU, best first; never empty.
std::span<const DwKernel> dw_kernels();

void dwconv_row_generic(const DwRow&, const float*, const float*, const float*, int64_t, int64_t,
                        float*);
#if defined(__x86_64__)
void dwconv_row_avx2(const DwRow&, const float*, const float*, const float*, int64_t, int64_t,
                     float*);
void dwconv_row_avx512(const DwRow&, const float*, const float*, const float*, int64_t, int64_t,
                       float*);
#endif

}  // namespace oqnn::cpu::fast
