// The OpenCL C sources of the GPU backend (src/backends/gpu/kernels/*.cl), embedded at
// build time by embed_kernels.cmake. The program is their concatenation, common.cl first.
#pragma once

#include <span>

namespace oqnn::gpu {

struct KernelSource {
  const char* name;  // file name, e.g. "conv.cl"
  const char* text;
};

std::span<const KernelSource> kernel_sources();

}  // namespace oqnn::gpu
