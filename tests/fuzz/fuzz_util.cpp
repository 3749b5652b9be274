#include "fuzz_util.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "runtime/host_plan.h"
#include "runtime/raw_io.h"
#include "runtime/tensor_info.h"
#include "support/files.h"

namespace oqnn::fuzz {
namespace {

// Bounds on what one input may make a plan compute, so that a valid but large graph is
// skipped instead of reported as a timeout: elements per activation, and per node
// output elements x the largest input's elements (a generous bound on its work).
constexpr int64_t kMaxActivation = int64_t{1} << 14;
constexpr int64_t kMaxNodeWork = int64_t{1} << 26;

// Elements of `shape`, or -1 when above `limit` (no overflow on hostile shapes).
int64_t elements_up_to(const ir::Shape& shape, int64_t limit) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d == 0) return 0;
    if (n > limit / d) return -1;
    n *= d;
  }
  return n;
}

bool small_enough(const ir::Graph& g) {
  for (const ir::Tensor& t : g.tensors)
    if (!t.is_static() && elements_up_to(t.shape, kMaxActivation) < 0) return false;
  for (const ir::Node& n : g.nodes) {
    int64_t in_max = 1, out_sum = 0;
    for (ir::TensorId id : n.inputs) {
      if (id < 0) continue;
      int64_t e = elements_up_to(g.tensor(id).shape, kMaxNodeWork);
      if (e < 0) return false;
      in_max = std::max(in_max, e);
    }
    for (ir::TensorId id : n.outputs) out_sum += elements_up_to(g.tensor(id).shape, kMaxActivation);
    if (out_sum > 0 && in_max > kMaxNodeWork / out_sum) return false;
  }
  return true;
}

std::vector<std::byte> patterned(size_t size, uint32_t seed) {
  std::vector<std::byte> bytes(size);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : bytes) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    b = static_cast<std::byte>(x & 0x3f);  // small values: float bytes stay finite
  }
  return bytes;
}

OqnnTensorView view_of(const ir::Tensor& t, std::vector<std::byte>& data) {
  return OqnnTensorView{t.name.c_str(),
                        static_cast<int32_t>(t.dtype),
                        static_cast<uint32_t>(t.shape.size()),
                        t.shape.data(),
                        data.data(),
                        data.size(),
                        nullptr};
}

}  // namespace

void init() {
  spdlog::set_level(spdlog::level::off);
}

const std::string& temp_dir() {
  static const std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "oqnn-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("oqnn fuzz: mkdtemp");
      std::abort();
    }
    static std::string cleanup;
    cleanup = pattern;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(cleanup, ec);
    });
    return pattern;
  }();
  return dir;
}

std::string write_temp(const std::string& name, const uint8_t* data, size_t size) {
  std::string path = join_path(temp_dir(), name);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(("oqnn fuzz: writing " + path).c_str());
    std::abort();
  }
  return path;
}

void check_error(const Status& s, const char* what) {
  if (s.is_ok()) return;
  const Error& e = s.error();
  bool expected_code = e.code == ErrorCode::kBadInput || e.code == ErrorCode::kUnsupported;
  if (expected_code && !e.message.empty()) return;
  std::fprintf(stderr, "oqnn fuzz: %s: bad input gave error code %d: '%s'\n", what,
               static_cast<int>(e.code), e.message.c_str());
  std::abort();
}

std::optional<std::vector<std::vector<std::byte>>> run_small_plan(rt::PlanImpl& plan) {
  auto* host = dynamic_cast<rt::HostPlan*>(&plan);
  if (host == nullptr || !small_enough(host->graph())) return std::nullopt;
  std::vector<std::vector<std::byte>> in_data, out_data;
  std::vector<OqnnTensorView> ins, outs;
  uint32_t seed = 1;
  for (const ir::Tensor& t : plan.inputs()) {
    size_t bytes = static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype);
    in_data.push_back(patterned(bytes, seed++));
  }
  for (const ir::Tensor& t : plan.outputs())
    out_data.emplace_back(static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype));
  for (size_t i = 0; i < in_data.size(); ++i) ins.push_back(view_of(plan.inputs()[i], in_data[i]));
  for (size_t i = 0; i < out_data.size(); ++i)
    outs.push_back(view_of(plan.outputs()[i], out_data[i]));
  Status s = plan.execute(ins, outs, nullptr);
  check_error(s, "execute");
  if (!s.is_ok()) return std::nullopt;
  // What qnn-net-run writes: each output as float32, dequantized with its encoding.
  for (size_t i = 0; i < outs.size(); ++i) {
    const ir::Tensor& t = plan.outputs()[i];
    rt::TensorInfo info{t.name, t.dtype, t.shape, t.encoding, ""};
    std::vector<float> values = rt::native_to_float(out_data[i], info);
    if (values.size() != static_cast<size_t>(ir::num_elements(t.shape))) std::abort();
  }
  return out_data;
}

}  // namespace oqnn::fuzz
