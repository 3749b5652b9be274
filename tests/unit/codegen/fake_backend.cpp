// A backend library that only declares a capability table, for the --target_backends
// check: built as libQnnCpu.so (Conv2d and Relu) and, with OQNN_FAKE_GPU, as libQnnGpu.so
// (Conv2d only) in a test folder.
#include "oqnn/backend_api.h"

namespace {
#ifdef OQNN_FAKE_GPU
const OqnnOpCapability kCaps[] = {{"Conv2d", "float16", ""}};
constexpr const char* kName = "gpu";
constexpr uint32_t kId = OQNN_BACKEND_GPU;
#else
const OqnnOpCapability kCaps[] = {{"Conv2d", "float32", ""}, {"Relu", "float32", ""}};
constexpr const char* kName = "cpu";
constexpr uint32_t kId = OQNN_BACKEND_CPU;
#endif
}  // namespace

extern "C" __attribute__((visibility("default"))) const OqnnBackendInterface*
OqnnBackend_getInterface(void) {
  static const OqnnBackendInterface iface = [] {
    OqnnBackendInterface i{};
    i.abi_version = OQNN_BACKEND_ABI_VERSION;
    i.name = kName;
    i.backend_id = kId;
    i.version = "test";
    i.capabilities = kCaps;
    i.num_capabilities = sizeof kCaps / sizeof kCaps[0];
    return i;
  }();
  return &iface;
}
