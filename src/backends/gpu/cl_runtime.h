// OpenCL plumbing for the GPU backend: owning handles, the choice of device, and the
// program that holds every kernel (built from the embedded sources, or loaded from the
// binary a serialized plan carries when the device and sources match).
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/status.h"

namespace oqnn::gpu {

template <class T, cl_int (*Release)(T)>
class ClHandle {
 public:
  ClHandle() = default;
  explicit ClHandle(T h) : h_(h) {}
  ~ClHandle() { reset(); }
  ClHandle(ClHandle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  ClHandle& operator=(ClHandle&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ClHandle(const ClHandle&) = delete;
  ClHandle& operator=(const ClHandle&) = delete;
  T get() const { return h_; }
  void reset() {
    if (h_) Release(h_);
    h_ = nullptr;
  }

 private:
  T h_ = nullptr;
};

using ClContext = ClHandle<cl_context, clReleaseContext>;
using ClQueue = ClHandle<cl_command_queue, clReleaseCommandQueue>;
using ClMem = ClHandle<cl_mem, clReleaseMemObject>;
using ClProgramHandle = ClHandle<cl_program, clReleaseProgram>;
using ClKernel = ClHandle<cl_kernel, clReleaseKernel>;

std::string cl_error_name(cl_int code);
// An internal error "<what>: CL_OUT_OF_RESOURCES (-5)".
Error cl_error(const std::string& what, cl_int code);

struct DeviceInfo {
  std::string platform, name, driver_version;
  bool has_fp16 = false;
  size_t base_align = 128;  // bytes; sub-buffer origins must be multiples of it
  uint64_t max_alloc = 0;
};

// The device and context one backend instance runs on; plans share it.
class ClDevice {
 public:
  // The `device_id`-th GPU device over all platforms, or, when there is none, the
  // `device_id`-th device of any type (so CPU implementations such as PoCL work).
  static Expected<std::shared_ptr<ClDevice>> open(int device_id);
  cl_device_id id() const { return device_; }
  cl_context context() const { return context_.get(); }
  const DeviceInfo& info() const { return info_; }
  // Identifies the compiler a program binary came from: platform, device and driver.
  std::string key() const;
  Expected<ClQueue> make_queue() const;

 private:
  cl_device_id device_ = nullptr;
  ClContext context_;
  DeviceInfo info_;
};

// One program with all of the backend's kernels for one storage precision.
class ClProgram {
 public:
  static Expected<std::shared_ptr<ClProgram>> build(std::shared_ptr<ClDevice> device, bool fp16);
  // Loads `binary` when it was built for this device from the same sources (hash);
  // nullptr when it does not fit, so the caller builds from source.
  static std::shared_ptr<ClProgram> load_binary(std::shared_ptr<ClDevice> device, bool fp16,
                                                const std::vector<std::byte>& binary,
                                                uint64_t source_hash);
  // Hash of the kernel sources and build options: a binary is reused only if it matches.
  static uint64_t source_hash(bool fp16);
  Expected<std::vector<std::byte>> binary() const;
  Expected<ClKernel> kernel(const std::string& name) const;
  bool fp16() const { return fp16_; }
  const ClDevice& device() const { return *device_; }

 private:
  std::shared_ptr<ClDevice> device_;
  ClProgramHandle program_;
  bool fp16_ = true;
};

}  // namespace oqnn::gpu
