// The last import step: the chosen ONNX values become the graph outputs (an alias gets
// the output's name, a constant output is produced by an identity Reshape), every node and
// tensor no output needs is dropped, and the graph is checked against the op table. An
// output in `half_outputs` (declared float16 by the model) is computed in float32 and
// converted to float16 by a last Cast.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "onnx/import_context.h"

namespace oqnn::onnx_import {
Status finish_graph(ImportContext& ctx, const std::vector<std::string>& outputs,
                    const std::set<std::string>& half_outputs, const std::string& model_path);
}
