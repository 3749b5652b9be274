#include "backends/cpu/kernels.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/ref/indexing_ref.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu {
namespace {

Expected<KernelPtr> fast_conv2d(const ir::Graph& g, const ir::Node& n) {
  return fast::make_conv2d(g, n);
}
Expected<KernelPtr> fast_fully_connected(const ir::Graph& g, const ir::Node& n) {
  return fast::make_fully_connected(g, n);
}
Expected<KernelPtr> fast_depthwise_conv2d(const ir::Graph& g, const ir::Node& n) {
  return fast::make_depthwise_conv2d(g, n);
}
Expected<KernelPtr> fast_matmul(const ir::Graph& g, const ir::Node& n) {
  return fast::make_matmul(g, n);
}

// The float32 ops of the first op set; families added later register in their own files.
void register_base_kernels(std::vector<KernelEntry>& k) {
  const char* f32 = "float32";
  const char* any = ref::kAnyDtype;  // byte movers
  k.push_back({"Batchnorm", ref::make_batchnorm, nullptr, f32, ""});
  k.push_back({"Concat", ref::make_concat, nullptr, any, ""});
  k.push_back({"Conv2d", ref::make_conv2d, fast_conv2d, f32, "fused_activation relu|clip"});
  k.push_back({"Conv3d", ref::make_conv2d, fast_conv2d, f32, "fused_activation relu|clip"});
  k.push_back({"DepthWiseConv2d", ref::make_depthwise_conv2d, fast_depthwise_conv2d, f32,
               "fused_activation relu|clip"});
  k.push_back(
      {"ElementWiseNeuron", ref::make_unary, fast::make_unary, f32, "operation hard_sigmoid"});
  k.push_back({"FullyConnected", ref::make_fully_connected, fast_fully_connected, f32,
               "fused_activation relu|clip"});
  k.push_back({"HardSwish", ref::make_unary, fast::make_unary, f32, ""});
  k.push_back({"MatMul", ref::make_matmul, fast_matmul, f32, ""});
  k.push_back({"Pad", ref::make_pad, nullptr, f32, "scheme constant|reflect|edge"});
  k.push_back({"PoolAvg2d", ref::make_pool_avg2d, fast::make_pool_avg2d, f32,
               "padding smaller than the filter"});
  k.push_back({"PoolMax2d", ref::make_pool_max2d, fast::make_pool_max2d, f32,
               "padding smaller than the filter"});
  k.push_back({"L2Pool2d", ref::make_l2pool2d, nullptr, f32, "padding smaller than the filter"});
  k.push_back({"PoolAvg3d", ref::make_pool_avg3d, nullptr, f32, "with dilation"});
  k.push_back({"PoolMax3d", ref::make_pool_max3d, nullptr, f32, "with dilation"});
  k.push_back({"Prelu", ref::make_binary, fast::make_binary, f32, ""});
  k.push_back({"Relu", ref::make_unary, fast::make_unary, f32, ""});
  k.push_back({"ReluMinMax", ref::make_unary, fast::make_unary, f32, ""});
  k.push_back({"Reshape", ref::make_reshape, nullptr, any, ""});
  k.push_back({"Sigmoid", ref::make_unary, fast::make_unary, f32, ""});
  k.push_back({"Softmax", ref::make_softmax, fast::make_softmax, f32, ""});
  k.push_back({"LogSoftmax", ref::make_softmax, nullptr, f32, ""});
  k.push_back({"Hardmax", ref::make_softmax, nullptr, f32, ""});
  k.push_back({"Transpose", ref::make_transpose, fast::make_transpose, any, ""});
  k.push_back({"ChannelShuffle", ref::make_channel_shuffle, nullptr, any, ""});
}

std::vector<KernelEntry> build_registry() {
  std::vector<KernelEntry> k;
  register_base_kernels(k);
  register_convert_kernels(k);
  register_reduce_kernels(k);
  register_normalization_kernels(k);
  register_indexing_kernels(k);
  register_elementwise_kernels(k);
  register_unary_kernels(k);
  register_recurrent_kernels(k);
  register_resize_kernels(k);
  register_sample_kernels(k);
  register_roi_kernels(k);
  register_detection_kernels(k);
  register_transpose_conv_kernels(k);
  register_quantize_kernels(k);
  std::sort(k.begin(), k.end(),
            [](const KernelEntry& a, const KernelEntry& b) { return a.op < b.op; });
  return k;
}

std::vector<OqnnOpCapability> build_capabilities() {
  std::vector<OqnnOpCapability> caps;
  for (const KernelEntry& e : kernel_registry()) {
    // One row per dtype of the comma-separated list; the strings are static literals
    // split into interned copies that live as long as the process.
    static std::vector<std::unique_ptr<std::string>> interned;
    std::string_view list = e.dtypes;
    while (!list.empty()) {
      size_t comma = list.find(',');
      interned.push_back(std::make_unique<std::string>(list.substr(0, comma)));
      caps.push_back({e.op.data(), interned.back()->c_str(), e.constraints});
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
  }
  return caps;
}

Error no_kernel(const ir::Node& n) {
  return unsupported("node '" + n.name + "' (" + n.op + "): no cpu kernel for this op");
}

}  // namespace

const std::vector<KernelEntry>& kernel_registry() {
  static const std::vector<KernelEntry> kRegistry = build_registry();  // read-only after
  return kRegistry;
}

const KernelEntry* find_kernel_entry(std::string_view op) {
  const auto& k = kernel_registry();
  auto it = std::lower_bound(k.begin(), k.end(), op,
                             [](const KernelEntry& e, std::string_view o) { return e.op < o; });
  return it != k.end() && it->op == op ? &*it : nullptr;
}

std::span<const OqnnOpCapability> capabilities() {
  static const std::vector<OqnnOpCapability> kCaps = build_capabilities();
  return kCaps;
}

bool supports_op(std::string_view op) {
  return find_kernel_entry(op) != nullptr;
}

Expected<std::unique_ptr<rt::HostKernel>> make_kernel(const ir::Graph& g, const ir::Node& n) {
  const KernelEntry* e = find_kernel_entry(n.op);
  if (!e) return no_kernel(n);
  return e->fast ? e->fast(g, n) : e->ref(g, n);
}

Expected<std::unique_ptr<rt::HostKernel>> make_ref_kernel(const ir::Graph& g, const ir::Node& n) {
  const KernelEntry* e = find_kernel_entry(n.op);
  if (!e) return no_kernel(n);
  return e->ref(g, n);
}

}  // namespace oqnn::cpu
