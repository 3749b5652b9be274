#include "backends/gpu/plan_format.h"

#include <xxhash.h>

#include <cstring>

#include "backends/gpu/gpu_plan.h"
#include "backends/gpu/half.h"
#include "ir/serialize.h"
#include "support/bytes.h"

namespace oqnn::gpu {
namespace {

constexpr char kMagic[8] = {'O', 'Q', 'N', 'N', 'G', 'P', 'U', '\0'};
constexpr uint32_t kFormatVersion = 2;
constexpr uint32_t kFlagFp16 = 1, kFlagTransform = 2;
constexpr size_t kAlign = 64;

// Static tensors as float16 — half the bytes, and exactly what fp16 buffers hold — except
// the ones kernels read as float32, which keep every bit: weights (is_weight_input), and
// every static input of a node that runs the float32 kernels (runs_float32_kernels: it
// touches graph I/O, or computes with a static fp16 cannot hold exactly), so a context binary
// computes exactly what the model library does; and those of Concat, whose inputs share one IR
// dtype (the buffer is fp16 all the same).
ir::Graph with_half_statics(const GpuPlan& plan) {
  const ir::Graph& g = plan.graph();
  ir::Graph out = g;
  std::vector<bool> keep(g.tensors.size(), false);
  for (const ir::Node& n : g.nodes) {
    const bool f32 =
        runs_float32_kernels(g, n, [&plan](ir::TensorId t) { return plan.is_float(t); });
    for (size_t i = 0; i < n.inputs.size(); ++i)
      if (n.inputs[i] >= 0 && (f32 || is_weight_input(n, i) || n.op == "Concat"))
        keep[static_cast<size_t>(n.inputs[i])] = true;
  }
  for (size_t id = 0; id < out.tensors.size(); ++id) {
    ir::Tensor& t = out.tensors[id];
    if (keep[id] || !t.is_static() || t.dtype != ir::DataType::kFloat32) continue;
    size_t n = static_cast<size_t>(ir::num_elements(t.shape));
    std::vector<std::byte> bytes(n * 2);
    floats_to_halves(reinterpret_cast<const float*>(t.data->data()),
                     reinterpret_cast<uint16_t*>(bytes.data()), n);
    t.data = make_owned_blob(std::move(bytes));
    t.dtype = ir::DataType::kFloat16;
  }
  return out;
}

}  // namespace

Expected<std::vector<std::byte>> serialize_plan(const GpuPlan& plan) {
  const GpuConfig& c = plan.config();
  std::vector<std::byte> binaries[2];
  for (int i = 0; i < (c.fp16 ? 2 : 1); ++i) {
    auto binary = (i == 0 ? plan.program() : plan.program_f32()).binary();
    if (!binary) return binary.error();
    binaries[i] = std::move(*binary);
  }
  std::vector<std::byte> graph =
      ir::serialize_graph(c.fp16 ? with_half_statics(plan) : plan.graph());
  ByteWriter w;
  w.put_raw(kMagic, sizeof(kMagic));
  w.put_u32(kFormatVersion);
  w.put_u32((c.fp16 ? kFlagFp16 : 0) | (c.transform_optimization ? kFlagTransform : 0));
  w.put_str(c.performance_mode);
  w.put_str(plan.program().device().key());
  for (int i = 0; i < (c.fp16 ? 2 : 1); ++i) {
    w.put_u64(ClProgram::source_hash(c.fp16 && i == 0));
    w.put_u64(binaries[i].size());
    w.put_raw(binaries[i].data(), binaries[i].size());
  }
  size_t graph_off = (w.size() + 16 + kAlign - 1) / kAlign * kAlign;
  w.put_u64(graph_off);
  w.put_u64(graph.size());
  w.align(kAlign);
  w.put_raw(graph.data(), graph.size());
  w.put_u64(XXH64(w.bytes().data(), w.size(), 0));
  return std::move(w.bytes());
}

Expected<PlanPayload> parse_plan(std::shared_ptr<const Blob> blob) {
  auto fail = [](const std::string& what) -> Error {
    return bad_input("gpu plan: malformed " + what,
                     {"the context binary is damaged or was not written by this gpu backend"});
  };
  ByteReader r(blob->span());
  char magic[sizeof(kMagic)] = {};
  if (!r.get_raw(magic, sizeof(magic)) || std::memcmp(magic, kMagic, sizeof(magic)) != 0)
    return fail("header (bad magic)");
  uint32_t version = 0, flags = 0;
  if (!r.get_u32(version)) return fail("header");
  if (version != kFormatVersion)
    return bad_input("gpu plan: format version " + std::to_string(version) +
                     " is not supported (expected " + std::to_string(kFormatVersion) + ")");
  // Drivers trust program binaries: nothing reaches them unless the checksum holds.
  const size_t body = blob->size() - sizeof(uint64_t);
  uint64_t stored = 0;
  if (blob->size() < sizeof(kMagic) + 4 + sizeof(uint64_t)) return fail("plan (truncated)");
  std::memcpy(&stored, blob->data() + body, sizeof(stored));
  if (stored != XXH64(blob->data(), body, 0)) return fail("plan (checksum mismatch)");
  r = ByteReader({blob->data(), body});
  if (!r.skip(sizeof(kMagic) + 4)) return fail("header");
  if (!r.get_u32(flags) || (flags & ~(kFlagFp16 | kFlagTransform)) != 0) return fail("flags");
  PlanPayload p;
  p.config.fp16 = (flags & kFlagFp16) != 0;
  p.config.transform_optimization = (flags & kFlagTransform) != 0;
  uint64_t graph_off = 0, graph_size = 0;
  if (!r.get_str(p.config.performance_mode, 64) || !r.get_str(p.device_key, 4096))
    return fail("header strings");
  for (int i = 0; i < (p.config.fp16 ? 2 : 1); ++i) {
    StoredProgram& sp = p.programs[i];
    uint64_t bin_size = 0;
    if (!r.get_u64(sp.source_hash) || !r.get_u64(bin_size) || bin_size > r.remaining())
      return fail("program binary size");
    sp.binary.resize(bin_size);
    if (!r.get_raw(sp.binary.data(), bin_size)) return fail("program binary");
  }
  if (!r.get_u64(graph_off) || !r.get_u64(graph_size) ||
      graph_off != (r.pos() + kAlign - 1) / kAlign * kAlign || graph_off > body ||
      graph_size != body - graph_off)
    return fail("graph section bounds");
  auto g = ir::deserialize_graph(blob, graph_off, graph_size, "gpu plan");
  if (!g) return g.error();
  p.graph = std::move(*g);
  p.graph_offset = graph_off;
  // Check the config fields the way the config parser would.
  std::string cfg = "{\"performance_mode\": \"" + p.config.performance_mode + "\"}";
  for (char ch : p.config.performance_mode)
    if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20)
      return fail("performance mode");
  if (!parse_gpu_config(cfg)) return fail("performance mode");
  return p;
}

}  // namespace oqnn::gpu
