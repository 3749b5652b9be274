// Data movement on codes: reshape_q_ref, transpose_q_ref (ChannelShuffle too: the axis as
// [groups, C/groups] read transposed), concat_q_ref, pad_q_ref. Codes are
// copied unchanged when input and output encodings agree and requantized otherwise; the
// constant of Pad is quantized with the output encoding (so 0.0 is the zero code).
#include <algorithm>

#include "backends/htp/ref/layout_view.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

// Calls f(o, offset-in-input) for every output element of a permuted view of the input.
template <class F>
void for_each_permuted(const ir::Shape& out, const std::vector<int64_t>& in_stride, F&& f) {
  const int64_t total = ir::num_elements(out);
  std::vector<int64_t> idx(out.size(), 0);
  int64_t off = 0;
  for (int64_t o = 0; o < total; ++o) {
    f(o, off);
    for (size_t d = out.size(); d-- > 0;) {
      off += in_stride[d];
      if (++idx[d] < out[d]) break;
      off -= in_stride[d] * out[d];
      idx[d] = 0;
    }
  }
}

class ReshapeTransposeRef final : public rt::HostKernel {
 public:
  // perm empty: Reshape (same order).
  ReshapeTransposeRef(Requantizer rq, ir::Shape out, std::vector<int64_t> perm_stride)
      : rq_(rq), out_(std::move(out)), perm_stride_(std::move(perm_stride)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    if (perm_stride_.empty()) {
      const int64_t n = in[0].elements();
      for (int64_t i = 0; i < n; ++i) y.set(i, rq_(x[i]));
      return Status::ok();
    }
    for_each_permuted(out_, perm_stride_, [&](int64_t o, int64_t i) { y.set(o, rq_(x[i])); });
    return Status::ok();
  }

 private:
  Requantizer rq_;
  ir::Shape out_;
  std::vector<int64_t> perm_stride_;
};

class ConcatRef final : public rt::HostKernel {
 public:
  ConcatRef(std::vector<Requantizer> rq, int64_t outer, std::vector<int64_t> chunk)
      : rq_(std::move(rq)), outer_(outer), chunk_(std::move(chunk)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeWriter y(out[0].data, out[0].info->dtype);
    int64_t o = 0;
    for (int64_t b = 0; b < outer_; ++b)
      for (size_t k = 0; k < in.size(); ++k) {
        CodeReader x(in[k].data, in[k].info->dtype);
        for (int64_t j = 0; j < chunk_[k]; ++j) y.set(o++, rq_[k](x[b * chunk_[k] + j]));
      }
    return Status::ok();
  }

 private:
  std::vector<Requantizer> rq_;
  int64_t outer_;
  std::vector<int64_t> chunk_;  // elements per outer index, per input
};

class PadRef final : public rt::HostKernel {
 public:
  PadRef(Requantizer rq, ir::Shape in, ir::Shape out, std::vector<int64_t> pad, int scheme,
         int32_t pad_code)
      : rq_(rq),
        in_(std::move(in)),
        out_(std::move(out)),
        pad_(std::move(pad)),
        scheme_(scheme),
        pad_code_(pad_code),
        in_stride_(row_major_strides(in_)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const size_t r = out_.size();
    std::vector<int64_t> idx(r, 0);
    const int64_t total = out[0].elements();
    for (int64_t o = 0; o < total; ++o) {
      int64_t off = 0;
      bool inside = true;
      for (size_t d = 0; d < r; ++d) {
        int64_t c = idx[d] - pad_[2 * d];
        const int64_t n = in_[d];
        if (c < 0 || c >= n) {
          if (scheme_ == kConstant)
            inside = false;
          else if (scheme_ == kEdge)
            c = std::clamp<int64_t>(c, 0, n - 1);
          else
            c = c < 0 ? -c : 2 * (n - 1) - c;  // reflect (edge not repeated)
        }
        off += c * in_stride_[d];
      }
      y.set(o, inside ? rq_(x[off]) : pad_code_);
      for (size_t d = r; d-- > 0;) {
        if (++idx[d] < out_[d]) break;
        idx[d] = 0;
      }
    }
    return Status::ok();
  }

  static constexpr int kConstant = 0, kReflect = 1, kEdge = 2;

 private:
  Requantizer rq_;
  ir::Shape in_, out_;
  std::vector<int64_t> pad_;
  int scheme_;
  int32_t pad_code_;
  std::vector<int64_t> in_stride_;
};

}  // namespace

Expected<KernelPtr> make_layout(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(ty, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  std::vector<Requantizer> rq;
  for (ir::TensorId t : n.inputs) {
    OQNN_RETURN_IF_ERROR(check_activation(g.tensor(t), n));
    OQNN_ASSIGN_OR_RETURN(QParams x, qparams_of(g.tensor(t), n));
    rq.emplace_back(x, y);
  }
  const ir::Shape& xs = g.tensor(n.inputs[0]).shape;
  if (n.op == "Reshape") return KernelPtr(new ReshapeTransposeRef(rq[0], ty.shape, {}));
  if (n.op == "Transpose" || n.op == "ChannelShuffle") {
    PermutedView v = permuted_view(n, xs);
    if (v.in_stride.empty()) v.in_stride.push_back(1);  // rank 0: one element either way
    return KernelPtr(new ReshapeTransposeRef(rq[0], v.dims, std::move(v.in_stride)));
  }
  if (n.op == "Concat") {
    ConcatChunks c = concat_chunks(g, n);
    return KernelPtr(new ConcatRef(std::move(rq), c.outer, std::move(c.chunk)));
  }
  if (n.op == "Pad") {
    const std::string scheme = n.params.get_string("scheme", "constant");
    const int s = scheme == "reflect" ? PadRef::kReflect
                  : scheme == "edge"  ? PadRef::kEdge
                                      : PadRef::kConstant;
    const int32_t code = y.code(n.params.get_float("pad_constant_value", 0.0));
    return KernelPtr(new PadRef(rq[0], xs, ty.shape, n.params.get_ints("pad_amount"), s, code));
  }
  return internal_error("node '" + n.name + "': no layout kernel for op " + n.op);
}

}  // namespace oqnn::htp::ref

namespace oqnn::htp {

std::vector<int64_t> row_major_strides(const ir::Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
  return st;
}

PermutedView permuted_view(const ir::Node& n, const ir::Shape& xs) {
  if (n.op == "Transpose") {
    const auto st = row_major_strides(xs);
    PermutedView v;
    for (int64_t p : n.params.get_ints("perm")) {
      v.dims.push_back(xs[static_cast<size_t>(p)]);
      v.in_stride.push_back(st[static_cast<size_t>(p)]);
    }
    return v;
  }
  const auto axis =
      static_cast<size_t>(n.params.get_int("axis", static_cast<int64_t>(xs.size()) - 1));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= xs[d];
  for (size_t d = axis + 1; d < xs.size(); ++d) inner *= xs[d];
  const int64_t groups = n.params.get_int("num_groups"), per = xs[axis] / groups;
  return {{outer, per, groups, inner}, {groups * per * inner, inner, per * inner, 1}};
}

ConcatChunks concat_chunks(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& xs = g.tensor(n.inputs[0]).shape;
  const auto axis = static_cast<size_t>(n.params.get_int("axis"));
  ConcatChunks c;
  int64_t inner = 1;
  for (size_t d = 0; d < axis; ++d) c.outer *= xs[d];
  for (size_t d = axis + 1; d < xs.size(); ++d) inner *= xs[d];
  for (ir::TensorId t : n.inputs) c.chunk.push_back(g.tensor(t).shape[axis] * inner);
  return c;
}

}  // namespace oqnn::htp
