// The ONNX importer on arbitrary model bytes. import_onnx reads a path (the file is
// mapped, and external data is looked up beside it), so each input is written to this
// process's temp folder first. Inputs the importer rejects as unsupported also go
// through the --dry_run walk, which visits every node instead of stopping at the first.
#include "fuzz_util.h"
#include "onnx/importer.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  onnx_import::ImportOptions opts;
  opts.model_path = fuzz::write_temp("model.onnx", data, size);
  opts.batch = 1;  // binds a symbolic batch dimension, as --batch 1 does
  auto graph = onnx_import::import_onnx(opts);
  fuzz::check_result(graph, "import_onnx");
  if (!graph && graph.error().code == ErrorCode::kUnsupported)
    fuzz::check_result(onnx_import::find_unsupported(opts), "find_unsupported");
  return 0;
}
