#include "runtime/partitioned_plan.h"

#include <chrono>
#include <map>

#include "runtime/raw_io.h"

namespace oqnn::rt {
namespace {

bool same_storage(const TensorInfo& a, const TensorInfo& b) {
  if (a.dtype != b.dtype || a.shape != b.shape) return false;
  if (a.encoding.has_value() != b.encoding.has_value()) return false;
  return !a.encoding ||
         (a.encoding->scale == b.encoding->scale && a.encoding->offset == b.encoding->offset &&
          a.encoding->bitwidth == b.encoding->bitwidth);
}

// `bytes` stored as `from`, re-expressed as `to` (through float32 values).
std::vector<std::byte> convert(const std::vector<std::byte>& bytes, const TensorInfo& from,
                               const TensorInfo& to) {
  if (same_storage(from, to)) return bytes;
  return float_to_native(native_to_float(bytes, from), to);
}

}  // namespace

Expected<Plan> Plan::partitioned(std::vector<PlanPart> parts,
                                 const std::vector<std::string>& inputs,
                                 const std::vector<std::string>& outputs) {
  auto st = std::make_unique<PartitionedState>();
  std::map<std::string, int> slot_of;
  std::vector<bool> graph_input_slot;
  // Graph inputs are stored as their first reader takes them.
  for (const std::string& name : inputs) {
    const TensorInfo* info = nullptr;
    for (const PlanPart& p : parts)
      for (const TensorInfo& t : p.plan.inputs())
        if (!info && t.name == name) info = &t;
    if (!info) return internal_error("graph input '" + name + "' is read by no partition");
    slot_of[name] = static_cast<int>(st->slots.size());
    st->graph_input_slots.push_back(static_cast<int>(st->slots.size()));
    st->slots.push_back(*info);
  }
  for (const PlanPart& p : parts) {
    PartitionedState::Wiring w;
    for (const TensorInfo& t : p.plan.inputs()) {
      auto it = slot_of.find(t.name);
      if (it == slot_of.end())
        return internal_error("partition '" + p.name + "' reads '" + t.name +
                              "', which no graph input or earlier partition provides");
      if (st->slots[static_cast<size_t>(it->second)].shape != t.shape)
        return bad_input("partition '" + p.name + "' reads '" + t.name + "' as " +
                         ir::shape_str(t.shape) + ", written as " +
                         ir::shape_str(st->slots[static_cast<size_t>(it->second)].shape));
      w.input_slots.push_back(it->second);
    }
    for (const TensorInfo& t : p.plan.outputs()) {
      if (slot_of.count(t.name))
        return bad_input("partition '" + p.name + "' writes '" + t.name +
                         "', which is already written elsewhere");
      slot_of[t.name] = static_cast<int>(st->slots.size());
      w.output_slots.push_back(static_cast<int>(st->slots.size()));
      st->slots.push_back(t);
    }
    st->wiring.push_back(std::move(w));
  }
  std::vector<TensorInfo> in_info, out_info;
  for (int s : st->graph_input_slots) in_info.push_back(st->slots[static_cast<size_t>(s)]);
  for (const std::string& name : outputs) {
    auto it = slot_of.find(name);
    if (it == slot_of.end()) return internal_error("graph output '" + name + "' is not computed");
    st->graph_output_slots.push_back(it->second);
    out_info.push_back(st->slots[static_cast<size_t>(it->second)]);
  }
  st->parts = std::move(parts);
  return Plan(std::move(st), std::move(in_info), std::move(out_info));
}

std::span<const PlanPart> Plan::parts() const {
  if (!parts_) return {};
  return parts_->parts;
}

Status execute_parts(PartitionedState& s, const std::vector<std::vector<std::byte>>& inputs,
                     std::vector<std::vector<std::byte>>& outputs, const OqnnExecuteOptions* opts) {
  std::vector<std::vector<std::byte>> slot(s.slots.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    slot[static_cast<size_t>(s.graph_input_slots[i])] = inputs[i];
  for (size_t k = 0; k < s.parts.size(); ++k) {
    PlanPart& part = s.parts[k];
    const auto& w = s.wiring[k];
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::vector<std::byte>> in, out;
    for (size_t j = 0; j < w.input_slots.size(); ++j) {
      auto src = static_cast<size_t>(w.input_slots[j]);
      in.push_back(convert(slot[src], s.slots[src], part.plan.inputs()[j]));
    }
    OQNN_RETURN_IF_ERROR(part.plan.execute(in, out, opts));
    for (size_t j = 0; j < w.output_slots.size(); ++j)
      slot[static_cast<size_t>(w.output_slots[j])] = std::move(out[j]);
    if (opts && opts->on_node_time) {  // detailed profiles: one event per partition too
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      std::string op = "Partition(" + part.plan.backend_name() + ")";
      opts->on_node_time(opts->user, part.name.c_str(), op.c_str(), static_cast<uint64_t>(ns));
    }
  }
  outputs.resize(s.graph_output_slots.size());
  for (size_t i = 0; i < outputs.size(); ++i)
    outputs[i] = slot[static_cast<size_t>(s.graph_output_slots[i])];
  return Status::ok();
}

}  // namespace oqnn::rt
