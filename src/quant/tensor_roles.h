// What each tensor of a graph is to the quantizer: an activation, a weight (with the
// output-channel axis for conv/FC weights), a bias, or nothing it quantizes (non-float
// tensors, unused constants). Internal to src/quant.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace oqnn::quant::detail {

enum class Role { kNone, kActivation, kWeight, kBias };

struct TensorRole {
  Role role = Role::kNone;
  int channel_axis = -1;  // conv HWIO weights: 3; FullyConnected [cout, k]: 0
  // A static read by an op whose inputs share one dtype (Concat: a ViT class token next to
  // the patch embeddings): quantized per tensor at the activation bitwidth.
  bool activation_width = false;
};

std::vector<TensorRole> classify_tensors(const ir::Graph& g);

// The per-channel axis to use for `t`: its role's channel axis, else the last axis
// (channel-last layout).
int channel_axis_for(const ir::Tensor& t, const TensorRole& r);

}  // namespace oqnn::quant::detail
