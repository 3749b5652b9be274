// Factories of the individual passes (one .cpp each). pipeline.cpp lists them per
// optimization level; tests build a single pass to check it in isolation.
#pragma once

#include <memory>

#include "passes/pipeline.h"

namespace oqnn::passes {

// Evaluates float32 nodes whose inputs are all static with the CPU reference kernels.
std::unique_ptr<Pass> make_fold_constants();
// Removes nodes that reach no graph output, then unused tensors.
std::unique_ptr<Pass> make_remove_dead();
// Makes the graph channel-last end to end: cancels, merges, sinks and hoists transposes;
// turns transposes of size-1 dims into reshapes; merges and drops reshapes.
std::unique_ptr<Pass> make_cancel_transposes();
// Folds Batchnorm into the preceding Conv2d / DepthWiseConv2d / Conv3d / FullyConnected.
std::unique_ptr<Pass> make_fold_batchnorm();
// Fuses Relu / ReluMinMax into the preceding Conv2d / DepthWiseConv2d / Conv3d /
// FullyConnected.
std::unique_ptr<Pass> make_fuse_activations();
std::unique_ptr<Pass> make_fuse_gelu();  // erf- and tanh-decomposed Gelu -> Gelu
// Decomposed LayerNorm and RmsNorm (ReduceMean, Sub, Pow, Sqrt, Div, ...) -> one node.
std::unique_ptr<Pass> make_fuse_norms();
// Reshape -> Transpose -> Reshape channel shuffles -> ChannelShuffle (before layout passes).
std::unique_ptr<Pass> make_fuse_channel_shuffle();
// high only: Transpose -> flattening Reshape -> FullyConnected becomes Reshape ->
// FullyConnected with the weight's columns permuted.
std::unique_ptr<Pass> make_fold_transpose_into_fc();
// Chooses graph I/O layouts (NHWC for image tensors unless preserved) and records them
// in g.attributes["io_layout.<name>"].
std::unique_ptr<Pass> make_io_layout(bool preserve_io_layout);

}  // namespace oqnn::passes
