// TransposeConv2d and TransposeConv3d, NHWC / NDHWC input, weight [(kd,) kh, kw, cin,
// cout/group]: every input pixel scatters its weighted kernel into the output at
// (i*stride - pad + k*dilation), accumulated in double; output rows that no input reaches
// (output_padding) hold the bias alone. The 2-D op is the 3-D one over one plane.
#include <vector>

#include "backends/cpu/geometry.h"
#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu {
namespace {

// Output position along one axis of kernel tap k for input i, or -1 outside the output.
int64_t scatter_to(int64_t i, int64_t k, int64_t stride, int64_t pad, int64_t dil, int64_t size) {
  const int64_t o = i * stride - pad + k * dil;
  return o >= 0 && o < size ? o : -1;
}

// Input pixel (id, ih, iw) with channels xp.
void scatter_pixel(const ConvGeometry& c, const float* xp, const float* w, int64_t id, int64_t ih,
                   int64_t iw, double* acc) {
  const int64_t cin_g = c.cin_per_group(), cout_g = c.cout_per_group();
  for (int64_t kz = 0; kz < c.kd; ++kz) {
    const int64_t od = scatter_to(id, kz, c.stride_d, c.pad_front, c.dil_d, c.dout);
    for (int64_t ky = 0; ky < c.kh && od >= 0; ++ky) {
      const int64_t oh = scatter_to(ih, ky, c.stride_h, c.pad_top, c.dil_h, c.ho);
      for (int64_t kx = 0; kx < c.kw && oh >= 0; ++kx) {
        const int64_t ow = scatter_to(iw, kx, c.stride_w, c.pad_left, c.dil_w, c.wo);
        if (ow < 0) continue;
        double* out = acc + ((od * c.ho + oh) * c.wo + ow) * c.cout;
        const float* wk = w + ((kz * c.kh + ky) * c.kw + kx) * c.cin * cout_g;
        for (int64_t ci = 0; ci < c.cin; ++ci) {
          double* og = out + (ci / cin_g) * cout_g;
          for (int64_t co = 0; co < cout_g; ++co)
            og[co] += static_cast<double>(xp[ci]) * wk[ci * cout_g + co];
        }
      }
    }
  }
}

void transpose_conv_f32(const ConvGeometry& c, const float* x, const float* w, const float* bias,
                        float* y) {
  const int64_t out_size = c.dout * c.ho * c.wo * c.cout;
  std::vector<double> acc(static_cast<size_t>(out_size));
  for (int64_t n = 0; n < c.n; ++n) {
    for (int64_t i = 0; i < out_size; ++i) acc[i] = bias ? bias[i % c.cout] : 0.0;
    for (int64_t id = 0; id < c.d; ++id)
      for (int64_t ih = 0; ih < c.h; ++ih)
        for (int64_t iw = 0; iw < c.w; ++iw)
          scatter_pixel(c, x + (((n * c.d + id) * c.h + ih) * c.w + iw) * c.cin, w, id, ih, iw,
                        acc.data());
    for (int64_t i = 0; i < out_size; ++i) y[n * out_size + i] = static_cast<float>(acc[i]);
  }
}

Expected<KernelPtr> make_transpose_conv(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  return make_fn_kernel([c](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    transpose_conv_f32(c, in[0].as<const float>(), in[1].as<const float>(), bias,
                       out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

void register_transpose_conv_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"TransposeConv2d", make_transpose_conv, nullptr, "float32", ""});
  k.push_back({"TransposeConv3d", make_transpose_conv, nullptr, "float32", ""});
}

}  // namespace oqnn::cpu
