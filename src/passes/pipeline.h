// The pass manager: a Pass is a small named rewrite of an ir::Graph; the pipeline is a
// list of passes chosen by --optimization_level. run_pipeline verifies the graph after
// every pass and, with a debug folder, dumps the IR after each one (NN_<pass>.txt) so any
// step can be inspected. Passes keep the names a user looks up (quantization overrides,
// debug dumps): when a rewrite removes a tensor, the survivor carries the later name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::passes {

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  // Returns true when it changed g.
  virtual Expected<bool> run(ir::Graph& g) = 0;
};

struct PipelineOptions {
  std::string optimization_level = "medium";  // low | medium | high
  bool disable_batchnorm_folding = false;
  bool preserve_io_layout = false;  // --preserve_io layout
  std::string debug_dir;            // non-empty: write the IR after each pass here
};

std::vector<std::unique_ptr<Pass>> make_pipeline(const PipelineOptions& o);
// Runs make_pipeline(o) over g, verifying after each pass. An unknown optimization level
// is a usage error.
Status run_pipeline(ir::Graph& g, const PipelineOptions& o);

}  // namespace oqnn::passes
