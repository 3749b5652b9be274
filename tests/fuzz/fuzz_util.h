// What the fuzz targets share: silent logs, a private temp folder for the parsers that only
// read files, the oracle every parser of untrusted input must pass (bad input is a
// kBadInput or kUnsupported error with a message, never an internal error, an exception
// or a crash), and running a deserialized plan on a bounded amount of data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/backend_glue.h"
#include "support/status.h"

namespace oqnn::fuzz {

// Logs off (a parser's warnings would flood the fuzzer's output). Call once, from
// LLVMFuzzerInitialize.
void init();

// A folder of this process, removed at exit.
const std::string& temp_dir();
// Writes `data` to <temp_dir>/<name> and returns the path (aborts if it cannot).
std::string write_temp(const std::string& name, const uint8_t* data, size_t size);

// Aborts (a finding) when `s` is an error that bad input must never produce.
void check_error(const Status& s, const char* what);
template <class T>
void check_result(const Expected<T>& e, const char* what) {
  if (!e.has_value()) check_error(Status(e.error()), what);
}

// Executes `plan` once on patterned inputs when its graph is small, then converts its
// outputs to float as qnn-net-run does. Errors are checked with check_error. Returns the
// outputs' bytes, or nothing when the plan was not run or failed.
std::optional<std::vector<std::vector<std::byte>>> run_small_plan(rt::PlanImpl& plan);

}  // namespace oqnn::fuzz
