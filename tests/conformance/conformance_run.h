// The whole conformance run: every node test (or those --filter picks) converted once and
// run on each backend, outcomes tallied into pass rates, then checked against (or written
// into) the expected-failure lists. One loaded Backend per target serves every test (the
// GPU's OpenCL program build is paid once). A gpu backend that finds no OpenCL device is
// skipped, and says so; any other load failure is an error. "gpu+cpu" and "htp+cpu" run
// the same backend with CPU fallback, as qnn-context-binary-generator and qnn-net-run do by
// default: only the tests the backend refuses natively are run again, the rest keep their
// native outcome.
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn::conformance {

struct RunOptions {
  std::string data_dir;   // .../onnx/backend/test/data/node
  std::string lists_dir;  // holds expected_failures_<backend>.txt
  std::vector<std::string> backends = {"cpu", "gpu", "htp", "gpu+cpu", "htp+cpu"};
  std::string filter;       // POSIX extended regex over test names; "" runs all
  bool update = false;      // write the lists instead of checking them
  bool verbose = false;     // print every outcome
  std::string report_path;  // "" or a TSV of every outcome
};

inline bool is_fallback_run(const std::string& name) {
  return name == "gpu+cpu" || name == "htp+cpu";
}

// True when every checked backend's outcomes agree with its list (always true with update).
Expected<bool> run_conformance(const RunOptions& o);

}  // namespace oqnn::conformance
