// X_net.json: the converted graph described for people and scripts, in the shape QNN's
// converter writes (reference/qnn-cli.md), plus an "io" section with each graph input's
// and output's final shape and layout. Deterministic: keys in a fixed order.
#pragma once

#include <string>

#include "codegen/emit.h"
#include "codegen/emit_plan.h"

namespace oqnn::codegen {

// `bin_path` is "" when the model has no static tensors.
Expected<std::string> net_json_text(const ir::Graph& g, const EmitPlan& plan, const EmitOptions& o,
                                    const std::string& bin_path);

}  // namespace oqnn::codegen
