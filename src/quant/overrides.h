// Quantization overrides: the encodings a user hands to --quantization_overrides, read
// from any of the three JSON forms QNN accepts (the seed's dict form, AIMET's legacy list
// form, AIMET 1.0.0). Entries are normalized on load: offsets follow QNN's convention
// (real = scale * (q + offset), q over the unsigned range [0, 2^bw - 1], so offset =
// -zero_point), and scale/offset are derived from min/max when a file gives only those.
// Names are the original (ONNX) tensor names; quantize_graph() matches them to the graph.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/encoding.h"
#include "support/status.h"

namespace oqnn::quant {

struct OverrideEntry {
  int bitwidth = 8;
  std::optional<double> min, max;  // per-tensor entries only, when the file gives them
  std::vector<double> scale;       // one per channel; empty only when is_float
  std::vector<int32_t> offset;     // QNN convention over the unsigned range (see above)
  bool is_symmetric = false;
  bool is_float = false;  // float fallback: the tensor stays float (bitwidth 16 or 32)
  bool per_channel() const { return scale.size() > 1; }
};

struct EncodingOverrides {
  std::map<std::string, OverrideEntry> activations, params;
  std::optional<int> activation_bitwidth, param_bitwidth, bias_bitwidth;
  std::string source_path;  // for messages
};

// Reads and validates an encodings file. Errors are kBadInput (kUnsupported for
// block-wise encodings) and name the file and, where there is one, the tensor.
Expected<EncodingOverrides> load_overrides(const std::string& path);
// The same from text already in memory; `source` names it in messages.
Expected<EncodingOverrides> parse_overrides(const std::string& text, const std::string& source);

// The IR encoding an entry stands for (precondition: !is_float). Symmetric entries whose
// offsets are all -2^(bw-1) (AIMET's way of writing signed symmetric) or 0 with a range
// that is not all-positive become signed with offset 0; the rest stay unsigned. `axis` is
// the channel axis for per-channel entries (ignored for per-tensor ones).
ir::Encoding override_to_encoding(const OverrideEntry& e, int axis);

}  // namespace oqnn::quant
