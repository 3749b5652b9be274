// The checked-in expected-failure lists (tests/conformance/expected_failures_<backend>.txt):
// one node test per line, sorted, "<test>  # <reason>"; '#' lines are comments. A run is
// true to its list when the tests that fail or error are exactly the listed ones among
// those that ran: a new failure is a regression, a listed test that now passes (or is
// now unsupported) makes the list stale. Both fail the ctest.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn::conformance {

using FailureList = std::map<std::string, std::string>;  // test -> reason

Expected<FailureList> read_failure_list(const std::string& path);
Status write_failure_list(const std::string& path, const std::string& backend,
                          const FailureList& list);

struct ListDiff {
  std::vector<std::string> regressions;  // "test: reason" - fails or errors, not listed
  std::vector<std::string> stale;        // "test: why" - listed, but does not fail
};

// `failing`: tests that ran and failed or errored, with the reason; `ran`: every test that
// ran; `known`: every test that exists (a listed name outside it is stale too).
ListDiff diff_failures(const FailureList& listed, const FailureList& failing,
                       const std::set<std::string>& ran, const std::set<std::string>& known);

// `listed` with the entries of the tests that ran replaced by this run's failures.
FailureList updated_list(const FailureList& listed, const FailureList& failing,
                         const std::set<std::string>& ran, const std::set<std::string>& known);

}  // namespace oqnn::conformance
