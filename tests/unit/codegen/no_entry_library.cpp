// A shared library that exports the weights symbol but no <prefix>_composeGraphs: what
// load_model_library must refuse with an error naming the file.
#include "oqnn/model_api.h"

extern "C" __attribute__((visibility("default"))) const unsigned char* OqnnModel_getWeights(
    uint64_t* size) {
  static const unsigned char empty[1024] = {};
  *size = sizeof empty;
  return empty;
}
