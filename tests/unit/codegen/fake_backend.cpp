// A backend library that only declares a capability table (Conv2d and Relu), built as
// libQnnCpu.so in a test folder, for the --target_backends check.
#include "oqnn/backend_api.h"

namespace {
const OqnnOpCapability kCaps[] = {{"Conv2d", "float32", ""}, {"Relu", "float32", ""}};
}

extern "C" __attribute__((visibility("default"))) const OqnnBackendInterface*
OqnnBackend_getInterface(void) {
  static const OqnnBackendInterface iface = [] {
    OqnnBackendInterface i{};
    i.abi_version = OQNN_BACKEND_ABI_VERSION;
    i.name = "cpu";
    i.backend_id = OQNN_BACKEND_CPU;
    i.version = "test";
    i.capabilities = kCaps;
    i.num_capabilities = 2;
    return i;
  }();
  return &iface;
}
