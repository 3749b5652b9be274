// The last import step: the chosen ONNX values become the graph outputs (an alias gets
// the output's name, a constant output is produced by an identity Reshape), every node and
// tensor no output needs is dropped, and the graph is checked against the op table.
#pragma once

#include <string>
#include <vector>

#include "onnx/import_context.h"

namespace oqnn::onnx_import {
Status finish_graph(ImportContext& ctx, const std::vector<std::string>& outputs,
                    const std::string& model_path);
}
