// The reductions, table-driven: one row per op (how values start, combine and finish, and
// the dtypes it runs), one loop for all of them. Floats accumulate in double, integers in
// int64 (the result wraps to the tensor's type as ONNX's integer arithmetic does); bool
// Max/Min are any/all. An empty set gives the identity of the combination: 0 for sums,
// 1 for a product, -inf/+inf (or the type's lowest/highest) for Max/Min, -inf for the logs.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <type_traits>

#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu {
namespace {

enum class Kind { kSum, kMean, kMax, kMin, kProd, kSumSquare, kL1, kL2, kLogSum, kLogSumExp };

struct ReduceRow {
  const char* op;
  Kind kind;
  const char* dtypes;
};

constexpr ReduceRow kRows[] = {
    {"ReduceSum", Kind::kSum, "float32,int32"},
    {"ReduceMean", Kind::kMean, "float32"},
    {"ReduceMax", Kind::kMax, "float32,int32,bool"},
    {"ReduceMin", Kind::kMin, "float32,int32,bool"},
    {"ReduceProd", Kind::kProd, "float32,int32"},
    {"ReduceSumSquare", Kind::kSumSquare, "float32,int32"},
    {"ReduceL1", Kind::kL1, "float32"},
    {"ReduceL2", Kind::kL2, "float32"},
    {"ReduceLogSum", Kind::kLogSum, "float32"},
    {"ReduceLogSumExp", Kind::kLogSumExp, "float32"},
};

struct ReducePlan {
  Kind kind;
  ir::Shape in;
  std::vector<int64_t> out_strides;  // per input dimension; 0 along reduced axes
  int64_t out_count = 0, reduced_count = 1;
};

int64_t out_index(const ReducePlan& p, int64_t flat) {
  int64_t o = 0;
  for (size_t d = p.in.size(); d-- > 0;) {
    o += (flat % p.in[d]) * p.out_strides[d];
    flat /= p.in[d];
  }
  return o;
}

template <class T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

template <class T>
Acc<T> start(Kind k) {
  constexpr bool fp = std::is_floating_point_v<T>;
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (k == Kind::kProd) return 1;
  if (k == Kind::kMax) return fp ? Acc<T>(-inf) : Acc<T>(std::numeric_limits<T>::lowest());
  if (k == Kind::kMin) return fp ? Acc<T>(inf) : Acc<T>(std::numeric_limits<T>::max());
  return 0;
}

template <class T>
Acc<T> combine(Kind k, Acc<T> acc, Acc<T> v) {
  switch (k) {
    case Kind::kMax:
      return std::max(acc, v);
    case Kind::kMin:
      return std::min(acc, v);
    case Kind::kProd:
      return acc * v;
    case Kind::kSumSquare:
    case Kind::kL2:
      return acc + v * v;
    case Kind::kL1:
      return acc + (v < 0 ? -v : v);
    default:
      return acc + v;  // Sum, Mean, LogSum; LogSumExp adds exp(x - max) (see below)
  }
}

double finish(const ReducePlan& p, double acc) {
  switch (p.kind) {
    case Kind::kMean:
      return acc / static_cast<double>(p.reduced_count);
    case Kind::kL2:
      return std::sqrt(acc);
    case Kind::kLogSum:
      return std::log(acc);
    default:
      return acc;
  }
}

// log(sum(exp(x))) = max + log(sum(exp(x - max))), so exp never overflows.
void log_sum_exp_f32(const ReducePlan& p, const float* x, float* y) {
  const int64_t count = ir::num_elements(p.in);
  std::vector<double> mx(static_cast<size_t>(p.out_count),
                         -std::numeric_limits<double>::infinity());
  std::vector<double> sum(static_cast<size_t>(p.out_count), 0.0);
  for (int64_t i = 0; i < count; ++i) {
    auto o = static_cast<size_t>(out_index(p, i));
    mx[o] = std::max(mx[o], static_cast<double>(x[i]));
  }
  for (int64_t i = 0; i < count; ++i) {
    auto o = static_cast<size_t>(out_index(p, i));
    if (std::isfinite(mx[o])) sum[o] += std::exp(x[i] - mx[o]);
  }
  for (size_t o = 0; o < mx.size(); ++o)
    y[o] = static_cast<float>(std::isfinite(mx[o]) ? mx[o] + std::log(sum[o]) : mx[o]);
}

template <class T>
void reduce_ref(const ReducePlan& p, const T* x, T* y) {
  std::vector<Acc<T>> acc(static_cast<size_t>(p.out_count), start<T>(p.kind));
  const int64_t count = ir::num_elements(p.in);
  for (int64_t i = 0; i < count; ++i) {
    auto o = static_cast<size_t>(out_index(p, i));
    acc[o] = combine<T>(p.kind, acc[o], static_cast<Acc<T>>(x[i]));
  }
  for (size_t o = 0; o < acc.size(); ++o) {
    if constexpr (std::is_floating_point_v<T>)
      y[o] = static_cast<T>(finish(p, acc[o]));
    else if constexpr (std::is_same_v<T, bool>)
      y[o] = acc[o] != 0;
    else
      y[o] = static_cast<T>(static_cast<std::make_unsigned_t<T>>(acc[o]));  // wraps
  }
}

const ReduceRow* find_row(std::string_view op) {
  for (const ReduceRow& r : kRows)
    if (op == r.op) return &r;
  return nullptr;
}

bool runs_dtype(const ReduceRow& r, ir::DataType dt) {
  std::string_view list = r.dtypes, name = ir::dtype_name(dt);
  for (size_t s = 0; s <= list.size();) {
    size_t comma = std::min(list.find(',', s), list.size());
    if (list.substr(s, comma - s) == name) return true;
    s = comma + 1;
  }
  return false;
}

ReducePlan make_plan(const ir::Graph& g, const ir::Node& n, Kind kind) {
  ReducePlan p{kind, shape_of(g, n.inputs[0]), {}, ir::num_elements(shape_of(g, n.outputs[0]))};
  auto axes = n.params.get_ints("axes");
  p.out_strides.assign(p.in.size(), 0);
  int64_t stride = 1;
  for (size_t d = p.in.size(); d-- > 0;) {
    if (std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end()) {
      p.reduced_count *= p.in[d];
    } else {
      p.out_strides[d] = stride;
      stride *= p.in[d];
    }
  }
  return p;
}

Expected<KernelPtr> make_reduce(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ReduceRow* row = find_row(n.op);
  if (!row) return node_unsupported(n, "not a reduction");
  ir::DataType dt = g.tensor(n.inputs[0]).dtype;
  if (!runs_dtype(*row, dt))
    return node_unsupported(
        n, "dtype " + std::string(ir::dtype_name(dt)) + " is not supported (" + row->dtypes + ")");
  ReducePlan p = make_plan(g, n, row->kind);
  return dispatch_dtype(n, dt, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([p](std::span<const rt::HostTensor> in,
                              std::span<const rt::HostTensor> out, const rt::KernelContext&) {
      if constexpr (std::is_same_v<T, float>) {
        if (p.kind == Kind::kLogSumExp) {
          log_sum_exp_f32(p, in[0].as<const float>(), out[0].as<float>());
          return Status::ok();
        }
      }
      reduce_ref<T>(p, in[0].as<const T>(), out[0].as<T>());
      return Status::ok();
    });
  });
}

}  // namespace

void register_reduce_kernels(std::vector<KernelEntry>& k) {
  for (const ReduceRow& r : kRows) k.push_back({r.op, make_reduce, nullptr, r.dtypes, ""});
}

}  // namespace oqnn::cpu
