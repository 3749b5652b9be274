// Quantization overrides (--quantization_overrides) in all three forms: the seed's dict
// form, AIMET's legacy list form and AIMET 1.0.0. Every entry read is then turned into
// the IR encoding quantize_graph would give a tensor.
#include <string>

#include "fuzz_util.h"
#include "quant/overrides.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto ov = quant::parse_overrides(text, "fuzz.encodings");
  fuzz::check_result(ov, "parse_overrides");
  if (!ov) return 0;
  for (const auto* entries : {&ov->activations, &ov->params})
    for (const auto& [name, entry] : *entries) {
      if (entry.is_float) continue;
      ir::Encoding e = quant::override_to_encoding(entry, entry.per_channel() ? 0 : -1);
      if (e.scale.size() != e.offset.size()) __builtin_trap();
    }
  return 0;
}
