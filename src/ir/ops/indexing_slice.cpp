// Data movement by constant parameters: StridedSlice (QNN ranges/masks semantics), Tile,
// Split (several outputs, QNN split_index), DepthToSpace and SpaceToDepth (channel-last
// [n, h, w, c], block_size [bh, bw], mode DCR|CRD).
#include <algorithm>

#include "ir/ops/indexing.h"

namespace oqnn::ir {

Expected<std::vector<SliceDim>> resolve_strided_slice(const Node& n, const Shape& in) {
  auto ranges = n.params.get_ints("ranges");
  if (ranges.size() != 3 * in.size()) return shape_error(n, "ranges needs 3 values per dim");
  int64_t begin_mask = n.params.get_int("begin_mask", 0),
          end_mask = n.params.get_int("end_mask", 0);
  std::vector<SliceDim> dims(in.size());
  for (size_t d = 0; d < in.size(); ++d) {
    int64_t dim = in[d], b = ranges[3 * d], e = ranges[3 * d + 1], s = ranges[3 * d + 2];
    if (s == 0 || s < -kMaxElements || s > kMaxElements)
      return shape_error(n, "stride must be nonzero and at most 2^40");
    // Past the end of either side: [0, dim] going forward, [-1, dim - 1] going back.
    int64_t lo = s > 0 ? 0 : -1, hi = s > 0 ? dim : dim - 1;
    auto resolve = [&](int64_t v, bool masked, int64_t extreme) {
      if (masked) return extreme;
      v = std::clamp(v, -kMaxElements, kMaxElements);
      return std::clamp(v < 0 ? v + dim : v, lo, hi);
    };
    bool bm = d < 63 && (begin_mask >> d & 1), em = d < 63 && (end_mask >> d & 1);
    b = resolve(b, bm, s > 0 ? 0 : dim - 1);
    e = resolve(e, em, s > 0 ? dim : -1);
    int64_t count = s > 0 ? (e > b ? (e - b - 1) / s + 1 : 0) : (b > e ? (b - e - 1) / -s + 1 : 0);
    dims[d] = {count > 0 ? b : 0, s, count};
  }
  return dims;
}

namespace {

using Rule = Expected<std::vector<OutputInfo>>;

Rule strided_slice_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_ASSIGN_OR_RETURN(auto dims, resolve_strided_slice(n, x.shape));
  int64_t shrink = n.params.get_int("shrink_axes", 0);
  Shape out;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (d < 63 && (shrink >> d & 1)) {
      if (dims[d].count != 1) return shape_error(n, "a shrunk axis must select one element");
      continue;
    }
    out.push_back(dims[d].count);
  }
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Rule tile_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  auto m = n.params.get_ints("multiples");
  if (m.size() != x.shape.size()) return shape_error(n, "multiples needs one value per dim");
  Shape out = x.shape;
  for (size_t d = 0; d < out.size(); ++d) {
    if (m[d] < 0 || m[d] > kMaxElements / std::max<int64_t>(out[d], 1))
      return shape_error(n, "multiples must be non-negative and keep dims below 2^40");
    out[d] *= m[d];
  }
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Rule split_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_ASSIGN_OR_RETURN(int64_t axis, axis_param(n, "axis", static_cast<int64_t>(x.shape.size())));
  auto at = n.params.get_ints("split_index");
  int64_t dim = x.shape[static_cast<size_t>(axis)], prev = 0;
  std::vector<OutputInfo> out;
  for (size_t j = 0; j <= at.size(); ++j) {
    int64_t next = j < at.size() ? at[j] : dim;
    if (next < prev || next > dim)
      return shape_error(n, "split_index must be non-decreasing within the split dim");
    Shape s = x.shape;
    s[static_cast<size_t>(axis)] = next - prev;
    out.push_back({x.dtype, s});
    prev = next;
  }
  return out;
}

// DepthToSpace (to_space) or SpaceToDepth on [n, h, w, c].
Rule depth_space_rule(const Graph& g, const Node& n, bool to_space) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.shape.size() != 4) return shape_error(n, "input must be rank 4 [n, h, w, c]");
  auto bs = n.params.get_ints("block_size");
  if (bs.size() != 2 || bs[0] < 1 || bs[1] < 1 || bs[0] > 1 << 20 || bs[1] > 1 << 20)
    return shape_error(n, "block_size must be two values in [1, 2^20]");
  std::string mode = n.params.get_string("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") return shape_error(n, "mode must be DCR or CRD");
  Shape out = x.shape;
  int64_t area = bs[0] * bs[1];
  if (to_space) {
    if (out[3] % area != 0) return shape_error(n, "channels must divide by the block area");
    out = {out[0], out[1] * bs[0], out[2] * bs[1], out[3] / area};
  } else {
    if (out[1] % bs[0] != 0 || out[2] % bs[1] != 0)
      return shape_error(n, "height and width must divide by the block size");
    out = {out[0], out[1] / bs[0], out[2] / bs[1], out[3] * area};
  }
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Rule depth_to_space_rule(const Graph& g, const Node& n) {
  return depth_space_rule(g, n, true);
}
Rule space_to_depth_rule(const Graph& g, const Node& n) {
  return depth_space_rule(g, n, false);
}

}  // namespace

void register_indexing_slice_ops(std::vector<OpDef>& ops) {
  ops.push_back({"StridedSlice",
                 "ranges = [begin, end, stride] per dim (negative counts from the end, "
                 "clamped); begin_mask/end_mask bits take the dim's extreme; shrink_axes "
                 "bits drop a dim of one element",
                 {"in"},
                 1,
                 1,
                 {{"ranges", ParamKind::kInts, true},
                  {"begin_mask", ParamKind::kInt},
                  {"end_mask", ParamKind::kInt},
                  {"shrink_axes", ParamKind::kInt}},
                 strided_slice_rule,
                 true,
                 {"Slice"}});
  ops.push_back({"Tile",
                 "repeats the input multiples[d] times along each dim d",
                 {"in"},
                 1,
                 1,
                 {{"multiples", ParamKind::kInts, true}},
                 tile_rule,
                 true,
                 {"Tile", "Expand"}});
  ops.push_back({"Split",
                 "splits along axis at split_index (n indices give n + 1 outputs)",
                 {"in"},
                 1,
                 1,
                 {{"axis", ParamKind::kInt}, {"split_index", ParamKind::kInts}},
                 split_rule,
                 true,
                 {"Split"}});
  const std::vector<ParamDef> block{{"block_size", ParamKind::kInts, true},
                                    {"mode", ParamKind::kString}};
  ops.push_back({"DepthToSpace",
                 "[n,h,w,c] -> [n,h*bh,w*bw,c/(bh*bw)]; mode DCR|CRD",
                 {"in"},
                 1,
                 1,
                 block,
                 depth_to_space_rule,
                 true,
                 {"DepthToSpace"}});
  ops.push_back({"SpaceToDepth",
                 "[n,h,w,c] -> [n,h/bh,w/bw,c*bh*bw]; mode DCR|CRD",
                 {"in"},
                 1,
                 1,
                 block,
                 space_to_depth_rule,
                 true,
                 {"SpaceToDepth"}});
}

}  // namespace oqnn::ir
