// Pad, any rank: pad_amount = [before0, after0, before1, after1, ...], scheme constant
// (pad_constant_value, default 0), reflect (mirror without repeating the edge, as numpy
// "reflect") or edge (repeat the edge value).
#include <algorithm>

#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

enum class PadScheme { kConstant, kReflect, kEdge };

struct PadPlan {
  ir::Shape in, out;
  std::vector<int64_t> before;
  PadScheme scheme;
  float value;
};

// Source coordinate of output coordinate `o` along a dimension of size `n`; -1 when it
// falls into constant padding.
int64_t source_coord(int64_t o, int64_t before, int64_t n, PadScheme s) {
  int64_t i = o - before;
  if (i >= 0 && i < n) return i;
  switch (s) {
    case PadScheme::kConstant:
      return -1;
    case PadScheme::kEdge:
      return std::clamp<int64_t>(i, 0, n - 1);
    case PadScheme::kReflect:
      return i < 0 ? -i : 2 * (n - 1) - i;
  }
  return -1;
}

void pad_f32_ref(const PadPlan& p, const float* x, float* y) {
  const size_t rank = p.out.size();
  const int64_t count = ir::num_elements(p.out);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t rem = flat, src = 0, in_stride = 1;
    bool inside = true;
    for (size_t d = rank; d-- > 0;) {
      int64_t c = source_coord(rem % p.out[d], p.before[d], p.in[d], p.scheme);
      rem /= p.out[d];
      inside = inside && c >= 0;
      src += c * in_stride;
      in_stride *= p.in[d];
    }
    y[flat] = inside ? x[src] : p.value;
  }
}

}  // namespace

Expected<KernelPtr> make_pad(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  PadPlan p{shape_of(g, n.inputs[0]),
            shape_of(g, n.outputs[0]),
            {},
            PadScheme::kConstant,
            static_cast<float>(n.params.get_float("pad_constant_value", 0.0))};
  auto pads = n.params.get_ints("pad_amount");
  for (size_t d = 0; d < p.in.size(); ++d) p.before.push_back(pads[2 * d]);
  std::string scheme = n.params.get_string("scheme", "constant");
  if (scheme == "reflect")
    p.scheme = PadScheme::kReflect;
  else if (scheme == "edge")
    p.scheme = PadScheme::kEdge;
  else if (scheme != "constant")
    return node_unsupported(n,
                            "scheme '" + scheme + "' is not supported (constant, reflect, edge)");
  for (size_t d = 0; d < p.in.size(); ++d)
    if (p.in[d] == 0 && p.out[d] != 0 && p.scheme != PadScheme::kConstant)
      return node_unsupported(n, "scheme '" + scheme + "' cannot pad an empty dimension");
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    pad_f32_ref(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::ref
