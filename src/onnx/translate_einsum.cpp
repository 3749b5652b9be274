// Einsum with one or two operands, decomposed at import into ReduceSum (labels summed away
// within one operand), Transpose and Reshape around one batched MatMul:
//   A → [batch, a_only, contracted] → [B, M, K];  B → [batch, contracted, b_only] → [B, K, N]
//   MatMul → [B, M, N] → [batch, a_only, b_only] → the output's order.
// Not supported (exit 3, naming the node): three or more operands, a label repeated in one
// operand (diagonals, traces) and labels whose sizes differ between operands (broadcasting).
#include <algorithm>
#include <map>

#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

using Labels = std::vector<int>;  // 0..51 the letters, 52.. the ellipsis dims

struct Equation {
  std::vector<Labels> in;
  Labels out;
};

// A term's labels; its ellipsis stands for `ell_dims` dims, right-aligned in the widest
// ellipsis (`ell` dims) so that operands line up as numpy does.
Expected<Labels> parse_term(const OnnxNode& n, std::string_view t, size_t ell_dims, int ell) {
  Labels l;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (t.substr(i, 3) == "...") {
      for (size_t e = 0; e < ell_dims; ++e) l.push_back(52 + ell - static_cast<int>(ell_dims - e));
      i += 2;
    } else if (c >= 'a' && c <= 'z') {
      l.push_back(c - 'a');
    } else if (c >= 'A' && c <= 'Z') {
      l.push_back(26 + c - 'A');
    } else {
      return n.bad_input("equation has an invalid character '" + std::string(1, c) + "'");
    }
  }
  return l;
}

size_t letter_count(std::string_view t) {
  return t.size() - (t.find("...") == std::string_view::npos ? 0 : 3);
}

std::vector<std::string_view> split_terms(std::string_view lhs) {
  std::vector<std::string_view> terms;
  for (size_t s = 0;;) {
    size_t comma = lhs.find(',', s);
    terms.push_back(lhs.substr(s, comma == std::string_view::npos ? comma : comma - s));
    if (comma == std::string_view::npos) return terms;
    s = comma + 1;
  }
}

Expected<Equation> parse_equation(const OnnxNode& n, const std::vector<size_t>& ranks) {
  std::string eq;
  for (char c : n.attr_string("equation", ""))
    if (c != ' ') eq.push_back(c);
  size_t arrow = eq.find("->");
  std::vector<std::string_view> terms = split_terms(std::string_view(eq).substr(0, arrow));
  if (terms.size() != ranks.size())
    return n.bad_input("equation has " + std::to_string(terms.size()) + " terms for " +
                       std::to_string(ranks.size()) + " inputs");
  int ell = 0;  // the widest ellipsis
  Equation e;
  for (size_t i = 0; i < terms.size(); ++i) {
    bool dots = terms[i].find("...") != std::string_view::npos;
    size_t letters = letter_count(terms[i]);
    if (dots ? letters > ranks[i] : letters != ranks[i])
      return n.bad_input("term '" + std::string(terms[i]) + "' does not fit an input of rank " +
                         std::to_string(ranks[i]));
    if (dots) ell = std::max(ell, static_cast<int>(ranks[i] - letters));
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    OQNN_ASSIGN_OR_RETURN(Labels l,
                          parse_term(n, terms[i], ranks[i] - letter_count(terms[i]), ell));
    e.in.push_back(std::move(l));
  }
  if (arrow != std::string::npos) {
    OQNN_ASSIGN_OR_RETURN(e.out, parse_term(n, std::string_view(eq).substr(arrow + 2),
                                            static_cast<size_t>(ell), ell));
    return e;
  }
  std::map<int, int> count;  // implicit output: the ellipsis, then letters seen once, sorted
  for (const Labels& l : e.in)
    for (int x : l) ++count[x];
  for (int x = 52; x < 52 + ell; ++x) e.out.push_back(x);
  for (auto [x, c] : count)
    if (c == 1 && x < 52) e.out.push_back(x);
  return e;
}

bool has(const Labels& l, int x) {
  return std::find(l.begin(), l.end(), x) != l.end();
}

// Emits the decomposition's single-input steps: the first node takes the ONNX node's
// name, and a step marked final produces the ONNX output.
class Steps {
 public:
  Steps(ImportContext& ctx, const OnnxNode& n) : ctx_(ctx), n_(n) {}
  Expected<ir::TensorId> emit(const std::string& op, std::vector<ir::TensorId> in, ir::Params p,
                              bool final) {
    std::string name = first_ ? n_.name() : ctx_.aux_node_name(n_.name() + "_" + op);
    first_ = false;
    std::string out = final ? n_.output(0) : ctx_.aux_tensor_name(n_.output(0) + "_" + op);
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, ctx_.emit(name, op, std::move(in), std::move(p), out));
    if (final) ctx_.set_tensor(n_.output(0), t);
    return t;
  }
  // Sums away the labels of `l` that are in neither `keep1` nor `keep2`.
  Expected<ir::TensorId> sum_away(ir::TensorId x, Labels& l, const Labels& keep1,
                                  const Labels& keep2, bool final) {
    std::vector<int64_t> axes;
    Labels rest;
    for (size_t d = 0; d < l.size(); ++d)
      if (has(keep1, l[d]) || has(keep2, l[d]))
        rest.push_back(l[d]);
      else
        axes.push_back(static_cast<int64_t>(d));
    if (axes.empty()) return x;
    l = rest;
    ir::Params p;
    p.set("axes", axes);
    p.set("keep_dims", int64_t{0});
    return emit("ReduceSum", {x}, std::move(p), final);
  }
  Expected<ir::TensorId> permute(ir::TensorId x, const Labels& from, const Labels& to, bool final) {
    if (from == to) return x;
    std::vector<int64_t> perm;
    for (int l : to) perm.push_back(std::find(from.begin(), from.end(), l) - from.begin());
    ir::Params p;
    p.set("perm", perm);
    return emit("Transpose", {x}, std::move(p), final);
  }
  Expected<ir::TensorId> reshape(ir::TensorId x, ir::Shape s, bool final) {
    if (ctx_.graph.tensor(x).shape == s) return x;
    ir::Params p;
    p.set("shape", std::move(s));
    return emit("Reshape", {x}, std::move(p), final);
  }

 private:
  ImportContext& ctx_;
  const OnnxNode& n_;
  bool first_ = true;
};

Status check_einsum(const OnnxNode& n) {
  if (!n.has_attr("equation")) return n.bad_input("attribute equation is missing");
  if (n.num_inputs() == 0 || n.num_inputs() > 2)
    return n.unsupported("only one or two operands are supported, got " +
                         std::to_string(n.num_inputs()));
  return Status::ok();
}

Expected<std::map<int, int64_t>> label_sizes(ImportContext& ctx, const OnnxNode& n,
                                             const Equation& e,
                                             const std::vector<ir::TensorId>& x) {
  std::map<int, int64_t> size;
  for (size_t i = 0; i < e.in.size(); ++i) {
    const ir::Shape& s = ctx.graph.tensor(x[i]).shape;
    for (size_t d = 0; d < e.in[i].size(); ++d) {
      int l = e.in[i][d];
      if (std::count(e.in[i].begin(), e.in[i].end(), l) > 1)
        return n.unsupported("a label repeated in one operand (a diagonal) is not supported");
      auto [it, fresh] = size.emplace(l, s[d]);
      if (!fresh && it->second != s[d])
        return n.unsupported("labels of different sizes (broadcasting) are not supported");
    }
  }
  for (int l : e.out)
    if (!size.count(l) || std::count(e.out.begin(), e.out.end(), l) > 1)
      return n.bad_input("an output label is repeated or appears in no input");
  return size;
}

int64_t product(const Labels& l, const std::map<int, int64_t>& size) {
  int64_t p = 1;
  for (int x : l) p *= size.at(x);
  return p;
}

Status einsum_one(ImportContext& ctx, const OnnxNode& n, Equation e, ir::TensorId x) {
  Steps st(ctx, n);
  Labels l = e.in[0];
  bool permutes = false;
  {
    Labels kept;
    for (int v : l)
      if (has(e.out, v)) kept.push_back(v);
    permutes = kept != e.out;
  }
  OQNN_ASSIGN_OR_RETURN(x, st.sum_away(x, l, e.out, {}, !permutes));
  if (!permutes && l == e.in[0]) {
    ctx.set_tensor(n.output(0), x);  // the identity
    return Status::ok();
  }
  if (permutes) {
    OQNN_ASSIGN_OR_RETURN(x, st.permute(x, l, e.out, true));
  }
  return Status::ok();
}

Status einsum_two(ImportContext& ctx, const OnnxNode& n, Equation e, ir::TensorId a, ir::TensorId b,
                  const std::map<int, int64_t>& size) {
  Steps st(ctx, n);
  Labels la = e.in[0], lb = e.in[1];
  OQNN_ASSIGN_OR_RETURN(a, st.sum_away(a, la, e.out, lb, false));
  OQNN_ASSIGN_OR_RETURN(b, st.sum_away(b, lb, e.out, la, false));
  Labels batch, contract, a_only, b_only;
  for (int v : e.out)
    if (has(la, v) && has(lb, v)) batch.push_back(v);
  for (int v : la) {
    if (!has(lb, v))
      a_only.push_back(v);
    else if (!has(e.out, v))
      contract.push_back(v);
  }
  for (int v : lb)
    if (!has(la, v)) b_only.push_back(v);
  auto cat = [](Labels x, const Labels& y, const Labels& z) {
    x.insert(x.end(), y.begin(), y.end());
    x.insert(x.end(), z.begin(), z.end());
    return x;
  };
  int64_t nb = product(batch, size), m = product(a_only, size), k = product(contract, size),
          nn = product(b_only, size);
  OQNN_ASSIGN_OR_RETURN(a, st.permute(a, la, cat(batch, a_only, contract), false));
  OQNN_ASSIGN_OR_RETURN(a, st.reshape(a, {nb, m, k}, false));
  OQNN_ASSIGN_OR_RETURN(b, st.permute(b, lb, cat(batch, contract, b_only), false));
  OQNN_ASSIGN_OR_RETURN(b, st.reshape(b, {nb, k, nn}, false));
  Labels r = cat(batch, a_only, b_only);
  ir::Shape rs;
  for (int v : r) rs.push_back(size.at(v));
  bool permutes = r != e.out, reshapes = rs != ir::Shape{nb, m, nn};
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, st.emit("MatMul", {a, b}, {}, !permutes && !reshapes));
  OQNN_ASSIGN_OR_RETURN(y, st.reshape(y, rs, !permutes));
  if (permutes) {
    OQNN_ASSIGN_OR_RETURN(y, st.permute(y, r, e.out, true));
  }
  return Status::ok();
}

Status translate_einsum(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_einsum(n));
  std::vector<ir::TensorId> x;
  std::vector<size_t> ranks;
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, input_tensor(ctx, n, i));
    x.push_back(t);
    ranks.push_back(ctx.graph.tensor(t).shape.size());
  }
  OQNN_ASSIGN_OR_RETURN(Equation e, parse_equation(n, ranks));
  OQNN_ASSIGN_OR_RETURN(auto size, label_sizes(ctx, n, e, x));
  if (x.size() == 1) return einsum_one(ctx, n, std::move(e), x[0]);
  return einsum_two(ctx, n, std::move(e), x[0], x[1], size);
}

}  // namespace

void register_einsum_translators(std::vector<Translator>& out) {
  out.push_back({"Einsum", translate_einsum, check_einsum});
}

}  // namespace oqnn::onnx_import
