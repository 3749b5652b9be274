#include "onnx/const_fold.h"

#include <algorithm>

namespace oqnn::onnx_import {
namespace {

std::vector<FoldEntry> build_table() {
  std::vector<FoldEntry> t;
  register_shape_folders(t);
  register_math_folders(t);
  register_quantize_folders(t);
  std::sort(t.begin(), t.end(),
            [](const FoldEntry& a, const FoldEntry& b) { return a.op_type < b.op_type; });
  return t;
}

}  // namespace

const FoldEntry* find_folder(std::string_view op_type) {
  static const std::vector<FoldEntry> kTable = build_table();  // built once, read-only
  auto it = std::lower_bound(kTable.begin(), kTable.end(), op_type,
                             [](const FoldEntry& e, std::string_view o) { return e.op_type < o; });
  return it != kTable.end() && it->op_type == op_type ? &*it : nullptr;
}

bool folds_from_shape(std::string_view op_type) {
  return op_type == "Shape" || op_type == "Size";
}

std::vector<int64_t> strides_of(const ir::Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

std::vector<size_t> broadcast_index(const ir::Shape& in, const ir::Shape& out) {
  size_t rank = out.size(), off = rank - in.size();
  auto in_st = strides_of(in);
  std::vector<int64_t> st(rank, 0);  // input stride per output dim, 0 where broadcast
  for (size_t d = off; d < rank; ++d) st[d] = in[d - off] == 1 ? 0 : in_st[d - off];
  std::vector<size_t> idx(static_cast<size_t>(ir::num_elements(out)));
  std::vector<int64_t> pos(rank, 0);
  int64_t cur = 0;
  for (size_t i = 0; i < idx.size(); ++i) {
    idx[i] = static_cast<size_t>(cur);
    for (size_t d = rank; d-- > 0;) {  // odometer increment
      cur += st[d];
      if (++pos[d] < out[d]) break;
      cur -= st[d] * pos[d];
      pos[d] = 0;
    }
  }
  return idx;
}

}  // namespace oqnn::onnx_import
