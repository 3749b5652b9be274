// The state behind Plan::partitioned: partitions run in order, their tensors wired by
// name. Every value (graph input or a part's output) lives in one slot, in the dtype and
// encoding of the plan that wrote it; a part whose input differs (an HTP part reading a
// float tensor, a CPU part reading a quantized one) gets a converted copy.
#pragma once

#include <vector>

#include "runtime/backend_loader.h"

namespace oqnn::rt {

struct PartitionedState {
  struct Wiring {
    std::vector<int> input_slots;   // per part input: the slot it reads
    std::vector<int> output_slots;  // per part output: the slot it writes
  };
  std::vector<PlanPart> parts;
  std::vector<Wiring> wiring;     // per part
  std::vector<TensorInfo> slots;  // each slot's dtype/shape/encoding as stored
  std::vector<int> graph_input_slots, graph_output_slots;
};

Status execute_parts(PartitionedState& s, const std::vector<std::vector<std::byte>>& inputs,
                     std::vector<std::vector<std::byte>>& outputs, const OqnnExecuteOptions* opts);

}  // namespace oqnn::rt
