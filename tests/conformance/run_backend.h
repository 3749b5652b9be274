// Runs a prepared node test on one loaded backend, in-process, the way the commands would:
// (htp) quantization completed by calibrating on the test's own inputs, as
// qnn-context-binary-generator does with an --input_list; finalize; execute every data set
// with inputs in the plan's own dtypes; outputs back to float, back to the ONNX layout, and
// judged against the expected values.
#pragma once

#include <string>
#include <vector>

#include "judge.h"
#include "node_test.h"
#include "prepare.h"
#include "runtime/backend_loader.h"

namespace oqnn::conformance {

enum class Result { kPass, kFail, kUnsupported, kError };
const char* result_name(Result r);

struct Outcome {
  Result result = Result::kError;
  std::string message;  // why it failed / is unsupported / errored; the worst score when passing
  double score = 0;     // worst relative error, or lowest SQNR (pass and fail only)
};

// An Error from our side as an outcome: kUnsupported stays unsupported, anything else is
// an error (a bug in the test's handling or in OpenQNN, never a tolerated result).
Outcome outcome_of(const Error& e);

// `cpu_fallback`: finalize as the commands do by default (rt::finalize_with_fallback), the
// nodes the backend does not run natively going to the cpu backend in their own partitions.
Outcome run_on_backend(rt::Backend& backend, const std::string& backend_name, const PreparedTest& p,
                       const std::vector<DataSet>& sets, bool cpu_fallback = false);

}  // namespace oqnn::conformance
