#include "backends/gpu/cl_runtime.h"

#include <spdlog/spdlog.h>

#include "backends/gpu/kernel_sources.h"

namespace oqnn::gpu {
namespace {

std::string device_string(cl_device_id d, cl_device_info what) {
  size_t n = 0;
  if (clGetDeviceInfo(d, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string s(n, '\0');
  if (clGetDeviceInfo(d, what, n, s.data(), nullptr) != CL_SUCCESS) return "";
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

std::string platform_string(cl_platform_id p, cl_platform_info what) {
  size_t n = 0;
  if (clGetPlatformInfo(p, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string s(n, '\0');
  if (clGetPlatformInfo(p, what, n, s.data(), nullptr) != CL_SUCCESS) return "";
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

struct Candidate {
  cl_platform_id platform;
  cl_device_id device;
};

// Every device of `type` over all platforms, in platform order then device order.
std::vector<Candidate> list_devices(cl_device_type type) {
  std::vector<Candidate> out;
  cl_uint np = 0;
  if (clGetPlatformIDs(0, nullptr, &np) != CL_SUCCESS || np == 0) return out;
  std::vector<cl_platform_id> platforms(np);
  if (clGetPlatformIDs(np, platforms.data(), nullptr) != CL_SUCCESS) return out;
  for (cl_platform_id p : platforms) {
    cl_uint nd = 0;
    if (clGetDeviceIDs(p, type, 0, nullptr, &nd) != CL_SUCCESS || nd == 0) continue;
    std::vector<cl_device_id> devices(nd);
    if (clGetDeviceIDs(p, type, nd, devices.data(), nullptr) != CL_SUCCESS) continue;
    for (cl_device_id d : devices) out.push_back({p, d});
  }
  return out;
}

std::string build_options(bool fp16) {
  return fp16 ? "-cl-std=CL1.2 -DOQNN_HALF=1" : "-cl-std=CL1.2";
}

std::string program_source() {
  std::string src;
  for (const KernelSource& s : kernel_sources()) {
    src += "// ---- " + std::string(s.name) + "\n";
    src += s.text;
  }
  return src;
}

std::string build_log(cl_program p, cl_device_id d) {
  size_t n = 0;
  clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n);
  std::string log(n, '\0');
  if (n) clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, n, log.data(), nullptr);
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log.size() > 4000 ? log.substr(0, 4000) + "..." : log;
}

}  // namespace

std::string cl_error_name(cl_int code) {
  switch (code) {
    case CL_SUCCESS:
      return "CL_SUCCESS";
    case CL_DEVICE_NOT_FOUND:
      return "CL_DEVICE_NOT_FOUND";
    case CL_DEVICE_NOT_AVAILABLE:
      return "CL_DEVICE_NOT_AVAILABLE";
    case CL_COMPILER_NOT_AVAILABLE:
      return "CL_COMPILER_NOT_AVAILABLE";
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
      return "CL_MEM_OBJECT_ALLOCATION_FAILURE";
    case CL_OUT_OF_RESOURCES:
      return "CL_OUT_OF_RESOURCES";
    case CL_OUT_OF_HOST_MEMORY:
      return "CL_OUT_OF_HOST_MEMORY";
    case CL_BUILD_PROGRAM_FAILURE:
      return "CL_BUILD_PROGRAM_FAILURE";
    case CL_MISALIGNED_SUB_BUFFER_OFFSET:
      return "CL_MISALIGNED_SUB_BUFFER_OFFSET";
    case CL_INVALID_VALUE:
      return "CL_INVALID_VALUE";
    case CL_INVALID_DEVICE:
      return "CL_INVALID_DEVICE";
    case CL_INVALID_BINARY:
      return "CL_INVALID_BINARY";
    case CL_INVALID_BUILD_OPTIONS:
      return "CL_INVALID_BUILD_OPTIONS";
    case CL_INVALID_PROGRAM_EXECUTABLE:
      return "CL_INVALID_PROGRAM_EXECUTABLE";
    case CL_INVALID_KERNEL_NAME:
      return "CL_INVALID_KERNEL_NAME";
    case CL_INVALID_ARG_INDEX:
      return "CL_INVALID_ARG_INDEX";
    case CL_INVALID_ARG_VALUE:
      return "CL_INVALID_ARG_VALUE";
    case CL_INVALID_ARG_SIZE:
      return "CL_INVALID_ARG_SIZE";
    case CL_INVALID_KERNEL_ARGS:
      return "CL_INVALID_KERNEL_ARGS";
    case CL_INVALID_WORK_DIMENSION:
      return "CL_INVALID_WORK_DIMENSION";
    case CL_INVALID_WORK_GROUP_SIZE:
      return "CL_INVALID_WORK_GROUP_SIZE";
    case CL_INVALID_GLOBAL_WORK_SIZE:
      return "CL_INVALID_GLOBAL_WORK_SIZE";
    case CL_INVALID_BUFFER_SIZE:
      return "CL_INVALID_BUFFER_SIZE";
    case CL_INVALID_MEM_OBJECT:
      return "CL_INVALID_MEM_OBJECT";
    case CL_INVALID_COMMAND_QUEUE:
      return "CL_INVALID_COMMAND_QUEUE";
    case CL_INVALID_CONTEXT:
      return "CL_INVALID_CONTEXT";
    case CL_INVALID_PLATFORM:
      return "CL_INVALID_PLATFORM";
    case -1001:
      return "CL_PLATFORM_NOT_FOUND_KHR";
    default:
      return "CL error";
  }
}

Error cl_error(const std::string& what, cl_int code) {
  return internal_error(what + ": " + cl_error_name(code) + " (" + std::to_string(code) + ")");
}

Expected<std::shared_ptr<ClDevice>> ClDevice::open(int device_id) {
  std::vector<Candidate> devices = list_devices(CL_DEVICE_TYPE_GPU);
  const char* kind = "GPU";
  if (devices.empty()) {
    devices = list_devices(CL_DEVICE_TYPE_ALL);
    kind = "OpenCL";
  }
  if (devices.empty())
    return unsupported("gpu backend: no OpenCL platform or device found",
                       {"install an OpenCL driver (an ICD under /etc/OpenCL/vendors), e.g. "
                        "PoCL (pocl-opencl-icd) to run on the CPU"});
  if (device_id < 0 || static_cast<size_t>(device_id) >= devices.size())
    return bad_input("gpu_config: 'device_id' " + std::to_string(device_id) + " is out of range: " +
                     std::to_string(devices.size()) + " " + kind + " device(s) found");
  auto dev = std::shared_ptr<ClDevice>(new ClDevice());
  const Candidate& c = devices[static_cast<size_t>(device_id)];
  dev->device_ = c.device;
  DeviceInfo& info = dev->info_;
  info.platform = platform_string(c.platform, CL_PLATFORM_NAME);
  info.name = device_string(c.device, CL_DEVICE_NAME);
  info.driver_version = device_string(c.device, CL_DRIVER_VERSION);
  info.has_fp16 =
      device_string(c.device, CL_DEVICE_EXTENSIONS).find("cl_khr_fp16") != std::string::npos;
  cl_uint align_bits = 0;
  if (clGetDeviceInfo(c.device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof(align_bits), &align_bits,
                      nullptr) == CL_SUCCESS &&
      align_bits >= 8)
    info.base_align = std::max<size_t>(64, align_bits / 8);
  cl_ulong max_alloc = 0;
  clGetDeviceInfo(c.device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(max_alloc), &max_alloc, nullptr);
  info.max_alloc = max_alloc;
  cl_int rc = CL_SUCCESS;
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM,
                                   reinterpret_cast<cl_context_properties>(c.platform), 0};
  dev->context_ = ClContext(clCreateContext(props, 1, &c.device, nullptr, nullptr, &rc));
  if (rc != CL_SUCCESS)
    return cl_error("gpu backend: creating a context on '" + info.name + "'", rc);
  spdlog::debug("gpu backend: device {} '{}' ({}, driver {}), fp16 arithmetic {}", device_id,
                info.name, info.platform, info.driver_version, info.has_fp16 ? "yes" : "no");
  return dev;
}

std::string ClDevice::key() const {
  return info_.platform + "|" + info_.name + "|" + info_.driver_version;
}

Expected<ClQueue> ClDevice::make_queue() const {
  cl_int rc = CL_SUCCESS;
  ClQueue q(clCreateCommandQueue(context_.get(), device_, 0, &rc));
  if (rc != CL_SUCCESS) return cl_error("gpu backend: creating a command queue", rc);
  return q;
}

uint64_t ClProgram::source_hash(bool fp16) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: stable across runs and builds
  for (const std::string& s : {build_options(fp16), program_source()})
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  return h;
}

Expected<std::shared_ptr<ClProgram>> ClProgram::build(std::shared_ptr<ClDevice> device, bool fp16) {
  auto prog = std::shared_ptr<ClProgram>(new ClProgram());
  prog->device_ = device;
  prog->fp16_ = fp16;
  std::string src = program_source();
  const char* text = src.c_str();
  size_t len = src.size();
  cl_int rc = CL_SUCCESS;
  prog->program_ =
      ClProgramHandle(clCreateProgramWithSource(device->context(), 1, &text, &len, &rc));
  if (rc != CL_SUCCESS) return cl_error("gpu backend: creating the program", rc);
  cl_device_id id = device->id();
  std::string opts = build_options(fp16);
  rc = clBuildProgram(prog->program_.get(), 1, &id, opts.c_str(), nullptr, nullptr);
  if (rc != CL_SUCCESS) {
    Error e = cl_error("gpu backend: building the kernels for '" + device->info().name + "'", rc);
    e.hints.push_back(build_log(prog->program_.get(), id));
    return e;
  }
  return prog;
}

std::shared_ptr<ClProgram> ClProgram::load_binary(std::shared_ptr<ClDevice> device, bool fp16,
                                                  const std::vector<std::byte>& binary,
                                                  uint64_t hash) {
  if (binary.empty() || hash != source_hash(fp16)) return nullptr;
  auto prog = std::shared_ptr<ClProgram>(new ClProgram());
  prog->device_ = device;
  prog->fp16_ = fp16;
  cl_device_id id = device->id();
  size_t len = binary.size();
  auto* bytes = reinterpret_cast<const unsigned char*>(binary.data());
  cl_int status = CL_SUCCESS, rc = CL_SUCCESS;
  prog->program_ = ClProgramHandle(
      clCreateProgramWithBinary(device->context(), 1, &id, &len, &bytes, &status, &rc));
  if (rc != CL_SUCCESS || status != CL_SUCCESS) return nullptr;
  std::string opts = build_options(fp16);
  if (clBuildProgram(prog->program_.get(), 1, &id, opts.c_str(), nullptr, nullptr) != CL_SUCCESS)
    return nullptr;
  return prog;
}

Expected<std::vector<std::byte>> ClProgram::binary() const {
  size_t size = 0;
  cl_int rc =
      clGetProgramInfo(program_.get(), CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr);
  if (rc != CL_SUCCESS) return cl_error("gpu backend: reading the program binary size", rc);
  std::vector<std::byte> out(size);
  unsigned char* ptr = reinterpret_cast<unsigned char*>(out.data());
  rc = clGetProgramInfo(program_.get(), CL_PROGRAM_BINARIES, sizeof(ptr), &ptr, nullptr);
  if (rc != CL_SUCCESS) return cl_error("gpu backend: reading the program binary", rc);
  return out;
}

Expected<ClKernel> ClProgram::kernel(const std::string& name) const {
  cl_int rc = CL_SUCCESS;
  ClKernel k(clCreateKernel(program_.get(), name.c_str(), &rc));
  if (rc != CL_SUCCESS) return cl_error("gpu backend: creating kernel '" + name + "'", rc);
  return k;
}

}  // namespace oqnn::gpu
